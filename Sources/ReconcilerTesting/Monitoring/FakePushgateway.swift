import Foundation

/// A Prometheus Pushgateway on loopback, as far as the job uses one: `POST` and `PUT` to
/// `/metrics/job/<job>{/<label>/<value>}` (values in `@base64` too). A PUT replaces the group's
/// metrics; a POST replaces only the families it carries, so families it leaves out keep their
/// last pushed values. The body must parse as the text format, or the push is refused with 400,
/// as the Pushgateway does.
public actor FakePushgateway {
    public struct Push: Sendable {
        public var method: String
        public var grouping: [String: String]
        public var body: String
    }

    public private(set) var pushes: [Push] = []
    /// Each group's families, by grouping labels.
    private var groups: [[String: String]: [String: PrometheusTextParser.Family]] = [:]
    private var server: LoopbackHTTPServer?

    public static func start() async throws -> FakePushgateway {
        let gateway = FakePushgateway()
        let server = try await LoopbackHTTPServer { request in await gateway.handle(request) }
        await gateway.attach(server)
        return gateway
    }

    private func attach(_ server: LoopbackHTTPServer) { self.server = server }

    public var baseURL: URL { server!.baseURL }

    public func stop() async { await server?.shutdown() }

    /// The group's families as the Pushgateway would serve them now.
    public func group(_ grouping: [String: String]) -> [String: PrometheusTextParser.Family] { groups[grouping] ?? [:] }

    func handle(_ request: HTTPRequestRecord) -> HTTPReply {
        guard let grouping = Self.grouping(request.path) else { return .text(404, "not a push path") }
        guard ["POST", "PUT"].contains(request.method) else { return .text(405, "method not allowed") }
        let body = String(decoding: request.body, as: UTF8.self)
        let families: [PrometheusTextParser.Family]
        do {
            families = try PrometheusTextParser.parse(body)
        } catch {
            return .text(400, "text format parsing error in \(error)")
        }
        for family in families {
            for sample in family.samples {
                for (label, value) in grouping where sample.labels[label] != nil && sample.labels[label] != value {
                    return .text(400, "pushed metric \(sample.name) has label \(label)=\(sample.labels[label]!) against the grouping key")
                }
            }
        }
        pushes.append(Push(method: request.method, grouping: grouping, body: body))
        var current = request.method == "PUT" ? [:] : groups[grouping] ?? [:]
        for family in families { current[family.name] = family }
        groups[grouping] = current
        return .response(status: 200, headers: [:], body: Data())
    }

    /// `["job": "access-reconciler", "cluster": "prod"]` for `/metrics/job/access-reconciler/cluster/prod`.
    static func grouping(_ path: String) -> [String: String]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { String($0).removingPercentEncoding ?? String($0) }
        guard parts.count >= 3, parts[0] == "metrics", parts.count % 2 == 1 else { return nil }
        var grouping: [String: String] = [:]
        var index = 1
        while index + 1 < parts.count {
            var name = parts[index]
            var value = parts[index + 1]
            if name.hasSuffix("@base64") {
                name = String(name.dropLast("@base64".count))
                var text = value.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                if text == "=" { text = "" }
                while text.count % 4 != 0 { text += "=" }
                guard let data = Data(base64Encoded: text) else { return nil }
                value = String(decoding: data, as: UTF8.self)
            }
            grouping[name] = value
            index += 2
        }
        return grouping
    }
}

extension HTTPReply {
    /// A plain-text response, as the Pushgateway gives its errors.
    static func text(_ status: Int, _ message: String) -> HTTPReply {
        .response(status: status, headers: ["content-type": "text/plain; charset=utf-8"], body: Data((message + "\n").utf8))
    }
}
