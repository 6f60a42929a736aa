import Foundation
import ReconcilerTesting
import Testing

@Suite("The fakes' JSON answers")
struct FakeJSONTests {
    func body(_ reply: HTTPReply) -> Data {
        guard case let .response(_, headers, body) = reply else { Issue.record("no response"); return Data() }
        #expect(headers["content-type"] == "application/json")
        return body
    }

    @Test("every kind of value reads back as written, strings escaped, keys in byte order")
    func roundTrip() throws {
        let object: [String: Any] = [
            "text": "quote \" backslash \\ newline \n tab \t bell \u{07} slash / ünïcode 🙂",
            "count": 42, "negative": Int64(-7), "took": 0.02, "seen": true, "acknowledged": false, "none": NSNull(),
            "tags": ["a", "b"], "nested": ["inner": [["id": "x", "n": 1]]], "empty": [String: String](), "list": [Any](),
        ]
        let data = body(HTTPReply.json(200, object))
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(parsed["text"] as? String == object["text"] as? String)
        #expect(parsed["count"] as? Int == 42)
        #expect(parsed["negative"] as? Int == -7)
        #expect(parsed["took"] as? Double == 0.02)
        #expect(parsed["seen"] as? Bool == true)
        #expect(parsed["acknowledged"] as? Bool == false)
        #expect(parsed["none"] is NSNull)
        #expect(parsed["tags"] as? [String] == ["a", "b"])
        #expect(((parsed["nested"] as? [String: Any])?["inner"] as? [[String: Any]])?.first?["id"] as? String == "x")
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"{"acknowledged":false,"count":42,"empty":{},"list":[],"negative":-7,"nested":"#))
        #expect(text.contains(#"bell \u0007 slash /"#))
        // The same object gives the same bytes every time.
        #expect(body(HTTPReply.json(200, object)) == data)
    }

    @Test("a value the writer does not know (an NSNumber) is still written, by Foundation")
    func fallback() throws {
        let data = body(HTTPReply.json(200, ["n": NSNumber(value: 3), "s": "x"]))
        let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(parsed["n"] as? Int == 3)
        #expect(parsed["s"] as? String == "x")
    }
}
