import Foundation
import ReconcilerTesting

/// The driver's side of `serve-fakes`: starts the fakes process, sends it commands and reads its
/// answers.
final class FakesProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered = Data()
    /// The job's configuration file the fakes wrote.
    private(set) var configPath = ""

    init(executable: String, backend: SandboxBackend, requests: Int, latencyMs: Int, concurrency: Int?, processingMs: ClosedRange<Int>,
         directory: String, throttle: ThrottleProfile?) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["serve-fakes", "--backend", backend.rawValue, "--requests", "\(requests)", "--latency-ms", "\(latencyMs)",
                         "--processing-ms-min", "\(processingMs.lowerBound)", "--processing-ms-max", "\(processingMs.upperBound)",
                         "--directory", directory]
        if let concurrency { arguments += ["--concurrency", "\(concurrency)"] }
        if let perSecond = throttle?.perSecond { arguments += ["--writes-per-second", "\(perSecond)"] }
        if let perMinute = throttle?.perMinute { arguments += ["--writes-per-minute", "\(perMinute)"] }
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let ready = try readLine()
        guard ready.hasPrefix("READY ") else { throw BenchmarkFailure("the fakes did not start: \(ready)") }
        configPath = String(ready.dropFirst("READY ".count))
    }

    var pid: Int32 { process.processIdentifier }

    /// Forgets the calls so far; returns what the next run needs at least.
    func begin() throws -> Minimum {
        try ask("begin", as: Minimum.self)
    }

    /// The calls since `begin`.
    func end() throws -> FakesReply.RunCalls {
        try ask("end", as: FakesReply.RunCalls.self)
    }

    func quit() {
        try? input.fileHandleForWriting.write(contentsOf: Data("quit\n".utf8))
        process.waitUntilExit()
    }

    private func ask<Value: Decodable>(_ command: String, as type: Value.Type) throws -> Value {
        try input.fileHandleForWriting.write(contentsOf: Data((command + "\n").utf8))
        let line = try readLine()
        do {
            return try JSONDecoder().decode(Value.self, from: Data(line.utf8))
        } catch {
            throw BenchmarkFailure("the fakes answered \(command) with: \(line)")
        }
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                buffered = Data(buffered[buffered.index(after: newline)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw BenchmarkFailure("the fakes process ended") }
            buffered.append(chunk)
        }
    }
}

/// A throttling server's write limits for a benchmark row.
struct ThrottleProfile: CustomStringConvertible {
    var perSecond: Int?
    var perMinute: Int?

    /// The sustained rate the limits allow, per second.
    var sustained: Double {
        min(perSecond.map(Double.init) ?? .infinity, perMinute.map { Double($0) / 60 } ?? .infinity)
    }

    var description: String {
        [perSecond.map { "\($0)/s" }, perMinute.map { "\($0)/min" }].compactMap { $0 }.joined(separator: "+")
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
