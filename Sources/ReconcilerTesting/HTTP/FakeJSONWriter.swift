import Foundation

/// Writes the fakes' JSON answers: dictionaries, arrays, strings, integers, doubles, booleans and
/// null, with keys in byte order. Foundation's JSONSerialization checks and casts every value
/// dynamically, which made listing pages of 100 alerts most of the fakes' CPU time in the
/// benchmark; a value of any other kind (an NSNumber, say) is left to it (`nil`).
enum FakeJSONWriter {
    static func data(_ value: Any) -> Data? {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        guard write(value, to: &output) else { return nil }
        return Data(output)
    }

    private static func write(_ value: Any, to output: inout [UInt8]) -> Bool {
        // Exact types: a cast would bridge an NSNumber to Bool or Int, which this writer leaves alone.
        switch ObjectIdentifier(type(of: value)) {
        case ObjectIdentifier(String.self):
            writeString(value as! String, to: &output)
            return true
        case ObjectIdentifier(Bool.self):
            output += Array((value as! Bool ? "true" : "false").utf8)
            return true
        case ObjectIdentifier(Int.self):
            output += Array(String(value as! Int).utf8)
            return true
        case ObjectIdentifier(Int64.self):
            output += Array(String(value as! Int64).utf8)
            return true
        case ObjectIdentifier(Double.self):
            let double = value as! Double
            guard double.isFinite else { return false }
            output += Array("\(double)".utf8)
            return true
        case ObjectIdentifier(NSNull.self):
            output += Array("null".utf8)
            return true
        default:
            break
        }
        switch value {
        case let array as [Any]:
            output.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                guard write(element, to: &output) else { return false }
            }
            output.append(UInt8(ascii: "]"))
        case let object as [String: Any]:
            output.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                guard write(object[key]!, to: &output) else { return false }
            }
            output.append(UInt8(ascii: "}"))
        default:
            return false
        }
        return true
    }

    private static func writeString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): output += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                output += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
