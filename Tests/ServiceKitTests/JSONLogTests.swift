import Foundation
import Logging
import Testing

@testable import ServiceKit

/// Log lines are valid JSON whatever the message and metadata hold.
@Suite struct JSONLogTests {
    @Test func aLineWithEveryKindOfValueParsesBack() throws {
        var line = JSONLogLine()
        let message = "quote \" backslash \\ newline \n tab \t bell \u{07} del \u{7F} é ✓ /slash"
        line.field("msg", message)
        line.field("list", .array([.string("a"), .stringConvertible(42), .dictionary(["z": "1", "a": "2"])]))
        line.field("request.id", .string("abc"))
        let bytes = line.finish()
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(!bytes.dropLast().contains(UInt8(ascii: "\n")), "one record is one line")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["msg"] as? String == message)
        #expect(object["request.id"] as? String == "abc")
        let list = try #require(object["list"] as? [Any])
        #expect(list[0] as? String == "a")
        #expect(list[1] as? String == "42")
        #expect((list[2] as? [String: String]) == ["z": "1", "a": "2"])
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() throws {
        let stamp = LogTimestamp.now()
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil, "\(stamp)")
        let parsed = try Date(stamp, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
    }

    @Test func theHandlerWritesItsFieldsAndMetadataButNeverLetsMetadataOverrideThem() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clipset-log-\(UUID().uuidString).jsonl")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        var logger = Logger(label: "clipset.test") { label in
            JSONLogHandler(label: label, service: "test", level: .info, output: JSONLogOutput(handle: handle))
        }
        logger[metadataKey: "request.id"] = "r1"
        logger.info("hello", metadata: ["level": "forged", "http.status": "200"])
        logger.error("broken")
        logger.debug("below the level")
        try handle.close()
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(first["level"] == "info")
        #expect(first["service"] == "test")
        #expect(first["logger"] == "clipset.test")
        #expect(first["msg"] == "hello")
        #expect(first["request.id"] == "r1")
        #expect(first["http.status"] == "200")
        let second = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: String])
        #expect(second["level"] == "error")
        #expect(second["source"]?.contains("JSONLogTests.swift:") == true)
    }
}
