import Foundation

/// Checks recorded HTTP exchanges against an OpenAPI 2.0 (Swagger) or 3 description, such as the
/// project's own `fixtures/contracts/opsgenie-v2.json` and `jsm-ops-v1.json`. A description whose
/// paths sit under a server path (`x-access-reconciler.base_path`, `/jsm/ops`) has it taken off
/// the requests first.
///
/// Requests: the path and method exist; query parameters are declared, typed and within their
/// enums; required parameters are present; JSON bodies have their required fields, and only declared
/// fields of the declared types and lengths (discriminated subtypes such as `ScheduleRecipient`
/// included). Responses: the body matches the schema described for its status (or `default`),
/// with no field the description does not name, so that a fake cannot invent what a client reads.
public struct OpenAPIConformance: @unchecked Sendable {
    /// The parsed description; never mutated after `init`.
    private let document: [String: Any]
    /// Segments of the server path the described paths are relative to.
    private let basePath: [String]
    /// Statuses any operation may answer though none describes them (a throttle, a server
    /// error), with the body they carry: `x-access-reconciler.undeclared_errors`.
    private let undeclaredStatuses: Set<Int>
    private let undeclaredSchema: [String: Any]?

    /// Reads a description from a file (JSON).
    public init(descriptionAt path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        document = object
        let meta = object["x-access-reconciler"] as? [String: Any]
        basePath = (meta?["base_path"] as? String ?? "").split(separator: "/").map(String.init)
        let undeclared = meta?["undeclared_errors"] as? [String: Any]
        undeclaredStatuses = Set(undeclared?["statuses"] as? [Int] ?? [])
        undeclaredSchema = undeclared?["schema"] as? [String: Any]
    }

    /// The request's path segments relative to the described paths.
    private func segments(_ request: HTTPRequestRecord) -> [String] {
        let segments = request.segments
        guard !basePath.isEmpty, segments.starts(with: basePath) else { return segments }
        return Array(segments.dropFirst(basePath.count))
    }

    /// The JSON schema of a request body or a response: OpenAPI 3 puts it under `content`.
    private func bodySchema(_ declared: [String: Any]) -> [String: Any]? {
        if let schema = declared["schema"] as? [String: Any] { return schema }
        let content = declared["content"] as? [String: Any]
        return (content?["application/json"] ?? content?["*/*"]).flatMap { ($0 as? [String: Any])?["schema"] as? [String: Any] }
    }

    /// One finding per problem, naming the request; empty when everything conforms.
    public func findings(for requests: [HTTPRequestRecord]) -> [String] {
        requests.flatMap(check)
    }

    /// Findings for the requests and for the responses of recorded calls.
    public func findings(for calls: [RecordedCall]) -> [String] {
        calls.flatMap { check($0.request) + checkResponse($0) }
    }

    /// The response of one call against the schema for its status; nothing to check for a dropped
    /// connection.
    private func checkResponse(_ call: RecordedCall) -> [String] {
        guard let status = call.status, let body = call.responseBody else { return [] }
        let subject = "\(call.method) \(call.path) → \(status)"
        guard let (_, pathItem) = matchPath(segments(call.request)),
              let operation = pathItem[call.method.lowercased()] as? [String: Any],
              let responses = operation["responses"] as? [String: Any] else { return [] }
        if responses[String(status)] == nil, responses["default"] == nil, undeclaredStatuses.contains(status), let schema = undeclaredSchema {
            guard let value = try? JSONSerialization.jsonObject(with: body) else { return ["\(subject): the response body is not JSON"] }
            return validate(value, schema: schema, at: "response").map { "\(subject): \($0)" }
        }
        guard let declared = (responses[String(status)] ?? responses["default"]).flatMap(resolve) else {
            return ["\(subject): the description declares no response \(status) and no default"]
        }
        guard let schema = bodySchema(declared) else {
            return body.isEmpty ? [] : ["\(subject): a body was sent where the description declares none"]
        }
        guard let value = try? JSONSerialization.jsonObject(with: body) else { return ["\(subject): the response body is not JSON"] }
        return validate(value, schema: schema, at: "response").map { "\(subject): \($0)" }
    }

    private func check(_ request: HTTPRequestRecord) -> [String] {
        let subject = "\(request.method) \(request.path)"
        let requestSegments = segments(request)
        guard let (template, pathItem) = matchPath(requestSegments) else { return ["\(subject): no such path in the description"] }
        guard let operation = pathItem[request.method.lowercased()] as? [String: Any] else {
            return ["\(subject): \(template) has no \(request.method) operation"]
        }
        var problems: [String] = []
        let parameters = ((pathItem["parameters"] as? [Any] ?? []) + (operation["parameters"] as? [Any] ?? [])).compactMap(resolve)
        let query = parameters.filter { $0["in"] as? String == "query" }
        for item in request.query {
            guard let parameter = query.first(where: { $0["name"] as? String == item.name }) else {
                problems.append("\(subject): query parameter `\(item.name)` is not described for \(template)")
                continue
            }
            if let problem = Self.typeProblem(item.value, parameter) { problems.append("\(subject): query `\(item.name)`: \(problem)") }
        }
        for parameter in query where parameter["required"] as? Bool == true {
            let name = parameter["name"] as? String ?? ""
            if request.queryValue(name) == nil { problems.append("\(subject): required query parameter `\(name)` is missing") }
        }
        let templateSegments = template.split(separator: "/").map(String.init)
        for (index, segment) in templateSegments.enumerated() where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            if let parameter = parameters.first(where: { $0["in"] as? String == "path" && $0["name"] as? String == name }),
               let problem = Self.typeProblem(requestSegments[index], parameter) {
                problems.append("\(subject): path `\(name)`: \(problem)")
            }
        }
        let bodyParameter = parameters.first { $0["in"] as? String == "body" } ?? (operation["requestBody"]).flatMap(resolve)
        if request.body.isEmpty {
            if bodyParameter?["required"] as? Bool == true { problems.append("\(subject): the required body is missing") }
        } else if let bodyParameter, let schema = bodySchema(bodyParameter) {
            if let body = try? JSONSerialization.jsonObject(with: request.body) {
                problems += validate(body, schema: schema, at: "body").map { "\(subject): \($0)" }
            } else {
                problems.append("\(subject): the body is not JSON")
            }
        } else {
            problems.append("\(subject): a body was sent but \(template) takes none")
        }
        return problems
    }

    /// The described path whose template matches the segments, preferring literal segments.
    private func matchPath(_ segments: [String]) -> (String, [String: Any])? {
        guard let paths = document["paths"] as? [String: Any] else { return nil }
        var best: (String, [String: Any], Int)?
        for (template, item) in paths {
            let parts = template.split(separator: "/").map(String.init)
            guard parts.count == segments.count, let item = item as? [String: Any] else { continue }
            var literal = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") { continue }
                if part == segment { literal += 1 } else { matches = false; break }
            }
            if matches, literal > (best?.2 ?? -1) { best = (template, item, literal) }
        }
        return best.map { ($0.0, $0.1) }
    }

    private func resolve(_ value: Any) -> [String: Any]? {
        guard let object = value as? [String: Any] else { return nil }
        guard let reference = object["$ref"] as? String else { return object }
        var current: Any? = document
        for part in reference.dropFirst(2).split(separator: "/") {
            current = (current as? [String: Any])?[String(part)]
        }
        return current.flatMap(resolve)
    }

    /// Properties and required fields of a schema, `allOf` and `$ref` followed.
    private func flatten(_ schema: [String: Any]) -> (properties: [String: [String: Any]], required: Set<String>, additional: Bool) {
        guard let schema = resolve(schema) else { return ([:], [], true) }
        var properties: [String: [String: Any]] = [:]
        var required = Set(schema["required"] as? [String] ?? [])
        for (name, value) in schema["properties"] as? [String: Any] ?? [:] { properties[name] = value as? [String: Any] }
        for part in schema["allOf"] as? [Any] ?? [] {
            guard let part = part as? [String: Any] else { continue }
            let flat = flatten(part)
            properties.merge(flat.properties) { first, _ in first }
            required.formUnion(flat.required)
        }
        return (properties, required, schema["additionalProperties"] != nil)
    }

    private func validate(_ value: Any, schema rawSchema: [String: Any], at path: String) -> [String] {
        guard let schema = resolve(rawSchema) else { return [] }
        if value is NSNull {
            return schema["nullable"] as? Bool == true ? [] : ["\(path): null, which the description does not allow here"]
        }
        if let alternatives = schema["oneOf"] as? [Any] {
            let results = alternatives.compactMap { $0 as? [String: Any] }.map { validate(value, schema: $0, at: path) }
            return results.contains { $0.isEmpty } ? [] : ["\(path): matches none of the \(results.count) forms (\(results.first?.first ?? ""))"]
        }
        let type = schema["type"] as? String ?? ((schema["properties"] != nil || schema["allOf"] != nil) ? "object" : nil)
        switch type {
        case "object":
            guard let object = value as? [String: Any] else { return ["\(path): expected an object"] }
            if let additional = schema["additionalProperties"] as? [String: Any], schema["properties"] == nil {
                if let limit = schema["x-maxTotalLength"] as? Int {
                    let total = object.reduce(0) { $0 + $1.key.count + (($1.value as? String)?.count ?? 0) }
                    if total > limit { return ["\(path): \(total) characters in keys and values, more than \(limit)"] }
                }
                return object.flatMap { validate($0.value, schema: additional, at: "\(path).\($0.key)") }
            }
            var flat = flatten(schema)
            if let discriminator = (resolve(schema).flatMap { $0["discriminator"] as? String }), let kind = object[discriminator] as? String {
                for subtype in subtypes(of: rawSchema, value: kind) { flat.properties.merge(flatten(subtype).properties) { first, _ in first } }
            }
            var problems = flat.required.subtracting(object.keys).sorted().map { "\(path): required field `\($0)` is missing" }
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                guard let property = flat.properties[key] else {
                    if !flat.additional { problems.append("\(path): field `\(key)` is not described") }
                    continue
                }
                problems += validate(member, schema: property, at: "\(path).\(key)")
            }
            return problems
        case "array":
            guard let array = value as? [Any] else { return ["\(path): expected an array"] }
            var problems: [String] = []
            if let limit = schema["maxItems"] as? Int, array.count > limit { problems.append("\(path): \(array.count) items, more than \(limit)") }
            guard let items = schema["items"] as? [String: Any] else { return problems }
            return problems + array.enumerated().flatMap { validate($0.element, schema: items, at: "\(path)[\($0.offset)]") }
        case "string":
            guard let text = value as? String else { return ["\(path): expected a string"] }
            if let allowed = schema["enum"] as? [String], !allowed.contains(text) { return ["\(path): `\(text)` is not one of \(allowed)"] }
            if let limit = schema["maxLength"] as? Int, text.count > limit { return ["\(path): \(text.count) characters, more than \(limit)"] }
            return []
        case "integer":
            return Self.isInteger(value) ? [] : ["\(path): expected an integer"]
        case "number":
            return Self.isNumber(value) ? [] : ["\(path): expected a number"]
        case "boolean":
            return Self.isBoolean(value) ? [] : ["\(path): expected a boolean"]
        default:
            return []
        }
    }

    /// Definitions that extend `base` (through `allOf`) for a discriminator value.
    private func subtypes(of base: [String: Any], value: String) -> [[String: Any]] {
        guard let reference = base["$ref"] as? String, let definitions = document["definitions"] as? [String: Any] else { return [] }
        return definitions.values.compactMap { $0 as? [String: Any] }.filter { definition in
            definition["x-discriminator-value"] as? String == value
                && (definition["allOf"] as? [Any] ?? []).contains { ($0 as? [String: Any])?["$ref"] as? String == reference }
        }
    }

    /// JSONSerialization gives NSNumber for both numbers and booleans (and `is Bool` holds for 0
    /// and 1): tell them apart by the boxed C type, `c` for a JSON boolean.
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func isNumber(_ value: Any) -> Bool { value is NSNumber && !isBoolean(value) }

    private static func isInteger(_ value: Any) -> Bool {
        guard isNumber(value), let number = value as? NSNumber else { return false }
        return number.doubleValue.rounded() == number.doubleValue
    }

    private static func typeProblem(_ value: String, _ declared: [String: Any]) -> String? {
        let parameter = declared["schema"] as? [String: Any] ?? declared
        if parameter["type"] as? String == "integer", let number = Int(value) {
            if let minimum = parameter["minimum"] as? Int, number < minimum { return "\(number) is below the minimum \(minimum)" }
            if let maximum = parameter["maximum"] as? Int, number > maximum { return "\(number) is above the maximum \(maximum)" }
        }
        switch parameter["type"] as? String {
        case "integer" where Int(value) == nil: return "`\(value)` is not an integer"
        case "boolean" where value != "true" && value != "false": return "`\(value)` is not a boolean"
        default: break
        }
        if let allowed = parameter["enum"] as? [String], !allowed.contains(value) { return "`\(value)` is not one of \(allowed)" }
        return nil
    }
}
