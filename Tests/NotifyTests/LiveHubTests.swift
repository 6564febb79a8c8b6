import Foundation
import Testing

@testable import Notify

/// The live stream's in-process parts: who gets which signal, and the frames on the wire.
@Suite struct LiveHubTests {
    func collect(_ signals: AsyncStream<LiveSignal>) async -> [LiveSignal] {
        var all: [LiveSignal] = []
        for await signal in signals { all.append(signal) }
        return all
    }

    @Test func aSignalReachesEveryStreamOfItsUserAndNoOther() async {
        let hub = LiveHub()
        let (alice, bob) = (UUID(), UUID())
        let one = hub.subscribe(alice), two = hub.subscribe(alice), other = hub.subscribe(bob)
        let message = LiveMessage(name: "video.progress", data: "{}")
        hub.send(.message(message), to: alice)
        hub.send(.statusChanged, to: bob)
        hub.endAll()
        #expect(await collect(one.signals) == [.message(message)])
        #expect(await collect(two.signals) == [.message(message)])
        #expect(await collect(other.signals) == [.statusChanged])
    }

    @Test func anEndedStreamGetsNothingMoreAndWakingReachesTheRest() async {
        let hub = LiveHub()
        let user = UUID()
        let ended = hub.subscribe(user), open = hub.subscribe(UUID())
        hub.end(ended.id)
        hub.send(.statusChanged, to: user)
        hub.wakeEveryone()
        hub.end(open.id)
        #expect(await collect(ended.signals) == [])
        #expect(await collect(open.signals) == [.statusChanged])
    }

    @Test func aSlowStreamKeepsOnlyTheNewestSignals() async {
        let hub = LiveHub(bufferSize: 3)
        let user = UUID()
        let stream = hub.subscribe(user)
        for percent in 1...10 {
            hub.send(.message(LiveMessage(name: "video.progress", data: "\(percent)")), to: user)
        }
        hub.end(stream.id)
        #expect(await collect(stream.signals).map { signal -> String in
            if case .message(let message) = signal { return message.data }
            return ""
        } == ["8", "9", "10"])
    }

    @Test func framesFollowTheEventStreamFormat() {
        #expect(LiveMessage(id: 7, name: "video.status", data: #"{"a":1}"#).frame == "id: 7\nevent: video.status\ndata: {\"a\":1}\n\n")
        #expect(LiveMessage(name: "video.progress", data: "{}").frame == "event: video.progress\ndata: {}\n\n")
        #expect(LiveMessage.opening(lastEventID: 4, retry: .seconds(3))
            == "retry: 3000\n\nevent: ready\ndata: {\"last_event_id\":4}\n\n")
        #expect(LiveMessage.heartbeat == ": keep-alive\n\n")
    }
}
