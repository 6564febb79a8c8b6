import Configuration
import Foundation

/// The auth service's own settings.
///
/// Configuration keys:
/// - `public.url` (`PUBLIC_URL`, default `http://localhost:8080`): where links in emails point.
/// - `access.token.expire.minutes` (`ACCESS_TOKEN_EXPIRE_MINUTES`, default 15).
/// - `refresh.token.expire.days` (`REFRESH_TOKEN_EXPIRE_DAYS`, default 30).
/// - `bcrypt.cost` (`BCRYPT_COST`, default 12, 4...31).
/// - `media.root` (`MEDIA_ROOT`, default `.local/media`): avatars go to `<root>/avatars`.
/// - `initial.admin.email|username|password` (`INITIAL_ADMIN_*`, defaults
///   `admin@clipset.local`, `admin`, `changeme123`): the first admin, created when none exists.
struct AuthSettings: Sendable {
    var publicURL: String
    var accessTokenLifetime: Int
    var refreshTokenLifetime: TimeInterval
    var bcryptCost: UInt8
    var avatarsDirectory: String
    var initialAdmin: InitialAdmin

    /// The first admin's credentials.
    struct InitialAdmin: Sendable {
        var email: String
        var username: String
        var password: String
    }

    init(reader: ConfigReader) throws {
        var url = reader.string(forKey: "public.url", default: "http://localhost:8080")
        while url.hasSuffix("/") { url.removeLast() }
        publicURL = url
        accessTokenLifetime = max(1, reader.int(forKey: "access.token.expire.minutes", default: 15)) * 60
        refreshTokenLifetime = TimeInterval(max(1, reader.int(forKey: "refresh.token.expire.days", default: 30)) * 86_400)
        let cost = reader.int(forKey: "bcrypt.cost", default: 12)
        guard (4...31).contains(cost) else { throw AuthConfigurationError("BCRYPT_COST must be within 4...31, not \(cost)") }
        bcryptCost = UInt8(cost)
        let root = reader.string(forKey: "media.root", default: ".local/media")
        avatarsDirectory = URL(fileURLWithPath: root).appendingPathComponent("avatars").path
        initialAdmin = InitialAdmin(
            email: reader.string(forKey: "initial.admin.email", default: "admin@clipset.local"),
            username: reader.string(forKey: "initial.admin.username", default: "admin"),
            password: reader.string(forKey: "initial.admin.password", isSecret: true, default: "changeme123")
        )
    }

    func invitationLink(token: String) -> String { "\(publicURL)/register/\(token)" }
    func resetLink(token: String) -> String { "\(publicURL)/reset-password?token=\(token)" }
}

/// A setting auth cannot start with.
struct AuthConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
