import HummingbirdBcrypt
import NIOPosix

/// bcrypt on a thread pool of its own: a hash costs ~185 ms of CPU at cost
/// 12, which must never block an event loop or the cooperative pool.
struct PasswordHasher: Sendable {
    let cost: UInt8
    let pool: NIOThreadPool
    /// Compared against when the user does not exist, so an unknown username
    /// costs as long as a wrong password and does not reveal itself by timing.
    private let dummyHash: String

    init(cost: UInt8, pool: NIOThreadPool) async throws {
        self.cost = cost
        self.pool = pool
        dummyHash = try await pool.runIfActive { Bcrypt.hash("clipset-dummy-password", cost: cost) }
    }

    func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { [cost] in Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends the time of one verification without a user.
    func verifyNothing(_ password: String) async throws {
        _ = try await verify(password, against: dummyHash)
    }
}
