import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Measures what one bcrypt costs on this machine, so the login benchmark can
/// be compared with the most logins per second the machine could do: every
/// login runs one `Bcrypt.verify`, so the limit is cores ÷ time of one verify.
///
/// Environment: `BCRYPT_COST` (default 12, as auth's), `BENCH_BCRYPT_RUNS`
/// (timed runs of each function, default 15; the median is reported).
/// Prints `name=value` lines that `bench/auth/run` reads.
@main
struct BcryptTiming {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let cost = UInt8(environment["BCRYPT_COST"] ?? "12"), (4...31).contains(cost) else {
            print("BCRYPT_COST must be a whole number from 4 to 31")
            exit(2)
        }
        let runs = max(1, Int(environment["BENCH_BCRYPT_RUNS"] ?? "") ?? 15)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Auth hashes on NIO's blocking pool (one thread per core), so the timing runs on one too.
        let pool = NIOThreadPool(numberOfThreads: cores)
        pool.start()

        let password = "bench-\(UUID().uuidString)"
        let hash = try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
        guard try await pool.runIfActive({ Bcrypt.verify(password, hash: hash) }) else {
            print("Bcrypt.verify rejected the password it has just hashed")
            exit(1)
        }
        let hashSeconds = try await median(of: runs, on: pool) { _ = Bcrypt.hash(password, cost: cost) }
        let verifySeconds = try await median(of: runs, on: pool) { _ = Bcrypt.verify(password, hash: hash) }
        let parallelRate = try await parallelVerifyRate(password: password, hash: hash, threads: cores, on: pool)
        try await pool.shutdownGracefully()

        print("bcrypt_cost=\(cost)")
        print("cores=\(cores)")
        print("bcrypt_runs=\(runs)")
        print("bcrypt_hash_seconds=\(format(hashSeconds, 4))")
        print("bcrypt_verify_seconds=\(format(verifySeconds, 4))")
        print("bcrypt_limit_per_second=\(format(Double(cores) / verifySeconds, 2))")
        print("bcrypt_parallel_verify_per_second=\(format(parallelRate, 2))")
    }

    /// The median wall time in seconds of `runs` calls of `body` on one pool
    /// thread, after one untimed call that warms caches and the thread up.
    static func median(
        of runs: Int, on pool: NIOThreadPool, _ body: @escaping @Sendable () -> Void
    ) async throws -> Double {
        try await pool.runIfActive(body)
        var samples: [Double] = []
        for _ in 0..<runs {
            samples.append(try await pool.runIfActive { seconds(of: body) })
        }
        samples.sort()
        return runs % 2 == 1 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2
    }

    /// Verifies per second with every core busy: `threads` verifiers, each
    /// running a few verifies in a row. It checks the cores ÷ time model (SMT
    /// siblings or a CPU quota would make it optimistic).
    static func parallelVerifyRate(password: String, hash: String, threads: Int, on pool: NIOThreadPool) async throws
        -> Double
    {
        let perThread = 4
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<threads {
                group.addTask {
                    for _ in 0..<perThread { _ = try await pool.runIfActive { Bcrypt.verify(password, hash: hash) } }
                }
            }
            try await group.waitForAll()
        }
        return Double(threads * perThread) / seconds(ContinuousClock.now - start)
    }

    /// Seconds one call of `body` takes.
    static func seconds(of body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        return seconds(ContinuousClock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
