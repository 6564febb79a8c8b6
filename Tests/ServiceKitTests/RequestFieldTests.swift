import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ServiceKit

/// Bodies, queries and dates are read and written the way the original API did.
@Suite struct RequestFieldTests {
    @Test func datesHaveMicrosecondsAndAZ() {
        let date = Date(timeIntervalSince1970: 1_795_412_764.622191)
        #expect(APIDate.string(from: date) == "2026-11-23T05:46:04.622191Z")
        #expect(APIDate.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(APIDate.date(from: "2026-11-23T05:46:04.622191Z").map { abs($0.timeIntervalSince(date)) < 0.000_01 } == true)
        #expect(APIDate.date(from: "2026-11-23T05:46:04Z") != nil)
        #expect(APIDate.date(from: "yesterday") == nil)
    }

    @Test func everyBadFieldIsReportedWithItsLocation() throws {
        var reader = FieldReader(location: "body", values: [
            "name": .int(3), "short": .string("ab"), "nul": .string("a\u{0}b"), "count": .double(2.5),
        ])
        #expect(reader.string("name") == nil)
        #expect(reader.string("missing") == nil)
        let short = reader.string("short")
        reader.checkLength("short", short, min: 3)
        #expect(reader.string("nul") == nil)
        #expect(reader.int("count") == nil)
        let types = reader.problems.map(\.type)
        #expect(types == ["string_type", "missing", "string_too_short", "value_error", "int_type"])
        #expect(reader.problems.map(\.loc) == [["body", "name"], ["body", "missing"], ["body", "short"], ["body", "nul"], ["body", "count"]])
        #expect(reader.problems[2].msg == "String should have at least 3 characters")
        #expect(throws: APIError.self) { try reader.validate() }
    }

    @Test func pagingIsValidatedWithPydanticMessages() async throws {
        let router = Router()
        router.middlewares.add(ErrorMiddleware())
        router.get("items") { request, _ -> String in
            let page = try PageRequest(request, defaultLimit: 10, maxLimit: 100)
            return "\(page.skip),\(page.limit)"
        }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/items", method: .get) { #expect(String(buffer: $0.body) == "0,10") }
            try await client.execute(uri: "/items?skip=5&limit=100", method: .get) { #expect(String(buffer: $0.body) == "5,100") }
            for query in ["skip=-1", "limit=0", "limit=101", "limit=ten", "skip=1.5"] {
                try await client.execute(uri: "/items?\(query)", method: .get) { response in
                    #expect(response.status == .unprocessableContent, "\(query)")
                    #expect(String(buffer: response.body).contains("\"query\""), "\(query)")
                }
            }
        }
    }
}
