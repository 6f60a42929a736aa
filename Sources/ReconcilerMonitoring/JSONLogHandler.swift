import Foundation
import Logging
import Synchronization

/// One JSON object per line: `time` (RFC 3339 with milliseconds, UTC), `level`, `run_id`, `logger`,
/// `message`, and the message's metadata as `fields`. Lines of concurrent tasks never interleave.
/// What reaches it is what the job logs; the job logs no secret (a test looks for the API key in
/// every line).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let runID: String
    let sink: LineSink

    public init(label: String, runID: String, level: Logger.Level, sink: LineSink = .standardError) {
        self.label = label
        self.runID = runID
        logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let own = event.metadata { fields.merge(own) { $1 } }
        var object: [String: Any] = [
            "time": Self.timestamp(Date()),
            "level": event.level.rawValue,
            "run_id": runID,
            "logger": label,
            "message": event.message.description,
        ]
        if !fields.isEmpty { object["fields"] = fields.mapValues(Self.json) }
        sink.write(Self.line(object))
    }

    /// One line of JSON for `object`, keys sorted.
    static func line(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"level":"error","message":"a log line could not be encoded"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func json(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case let .string(text): return text
        case let .stringConvertible(convertible): return convertible.description
        case let .array(values): return values.map(json)
        case let .dictionary(values): return values.mapValues(json)
        }
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}

/// Where log lines go: standard error, or a collector in tests.
public final class LineSink: Sendable {
    private let write: @Sendable (String) -> Void
    private let lock = Mutex(())

    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public static let standardError = LineSink { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }

    func write(_ line: String) {
        lock.withLock { _ in write(line) }
    }
}
