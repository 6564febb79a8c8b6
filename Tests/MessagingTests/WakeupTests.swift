import Testing

@testable import Messaging

/// The relay's idle wait: a signal wakes it at once, and a wait that timed out
/// or was cancelled leaves the next wait as patient as the first (an idle relay
/// must not spin).
///
/// Bounds on how long something took are loose on purpose: the other suites
/// run in parallel on two cores and can hold the cooperative pool for seconds,
/// so "woken early" is checked against a long timeout, never a tight figure.
@Suite struct WakeupTests {
    func elapsed(_ body: () async -> Void) async -> Duration {
        let start = ContinuousClock.now
        await body()
        return ContinuousClock.now - start
    }

    @Test func waitsAfterTimeoutsStillWaitTheirFullTimeout() async {
        let wakeup = Wakeup()
        for _ in 0..<3 {
            let waited = await elapsed { await wakeup.wait(timeout: .milliseconds(150)) }
            #expect(waited >= .milliseconds(140))
        }
    }

    @Test func aSignalWakesTheWaiterAndASignalWithoutWaiterIsKeptOnce() async {
        let wakeup = Wakeup()
        wakeup.signal()
        #expect(await elapsed { await wakeup.wait(timeout: .seconds(120)) } < .seconds(60))
        #expect(await elapsed { await wakeup.wait(timeout: .milliseconds(150)) } >= .milliseconds(140))
        async let waited = elapsed { await wakeup.wait(timeout: .seconds(120)) }
        try? await Task.sleep(for: .milliseconds(100))
        wakeup.signal()
        #expect(await waited < .seconds(60))
    }

    @Test func aCancelledWaitReturnsAndTheNextWaitStillWaits() async {
        let wakeup = Wakeup()
        let task = Task { await wakeup.wait(timeout: .seconds(120)) }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        #expect(await elapsed { await task.value } < .seconds(60))
        #expect(await elapsed { await wakeup.wait(timeout: .milliseconds(150)) } >= .milliseconds(140))
    }
}
