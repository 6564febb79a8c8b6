import Foundation

/// Stops, starts and restarts the test servers, for tests that prove recovery.
///
/// Runs the command named by `CLIPSET_TEST_INFRA` as `<command> <action> <server>`
/// (for example `scripts/lib/infra.sh restart rabbitmq`), which returns once
/// the server is stopped or accepting connections again.
package enum InfrastructureControl {
    /// A server the test command runs.
    package enum Server: String, Sendable {
        case postgres, redis, rabbitmq, smtp
    }

    /// Stops the server and starts it again; returns when it accepts connections.
    package static func restart(_ server: Server) async throws { try await run("restart", server) }
    /// Stops the server; returns when it no longer listens.
    package static func stop(_ server: Server) async throws { try await run("stop", server) }
    /// Starts the server; returns when it accepts connections.
    package static func start(_ server: Server) async throws { try await run("start", server) }

    /// The failure of a control command.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    private static func run(_ action: String, _ server: Server) async throws {
        guard let command = ProcessInfo.processInfo.environment["CLIPSET_TEST_INFRA"], !command.isEmpty else {
            throw Failure(description: "CLIPSET_TEST_INFRA is not set: run the tests through scripts/test")
        }
        // Foundation's waitUntilExit also waits for every process that inherited
        // its internal descriptors, and a server the script daemonizes would keep
        // them until it stops: close every descriptor above stderr first.
        let closeInherited = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null"#
        let status = try await ChildProcess.run(
            "/bin/bash", ["-c", "\(closeInherited); exec \(command) \(action) \(server.rawValue) 1>&2"])
        guard status == 0 else {
            throw Failure(description: "\(command) \(action) \(server.rawValue) exited with \(status)")
        }
    }
}
