import Foundation

/// When an Access Monitoring Rule applies (`spec.schedules.<name>.time`): shifts of a weekday and
/// a start and end time of day, in one time zone. As Teleport evaluates it, a request's creation
/// time is taken in the zone, and a shift holds it on its weekday from its start to its end, both
/// included, to the minute; a schedule without shifts holds nothing.
public struct RuleSchedule: Sendable, Hashable {
    /// One weekday's span, in minutes after midnight.
    public struct Shift: Sendable, Hashable {
        /// 1 for Sunday through 7 for Saturday, as `Calendar` numbers them.
        public var weekday: Int
        public var start: Int
        public var end: Int

        public init(weekday: Int, start: Int, end: Int) {
            self.weekday = weekday
            self.start = start
            self.end = end
        }
    }

    /// The weekday names Teleport's schedules use, Sunday first.
    public static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    public var timeZone: TimeZone
    public var shifts: [Shift]

    public init(timeZone: TimeZone, shifts: [Shift]) {
        self.timeZone = timeZone
        self.shifts = shifts
    }

    /// Whether `date` falls in one of the shifts.
    public func contains(_ date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .second, .nanosecond], from: date)
        guard let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        let minutes = hour * 60 + minute
        // A shift ends at the start of its end minute (Teleport compares to HH:MM:00).
        let pastTheMinute = (parts.second ?? 0) > 0 || (parts.nanosecond ?? 0) > 0
        return shifts.contains { shift in
            shift.weekday == weekday && minutes >= shift.start && (minutes < shift.end || (minutes == shift.end && !pastTheMinute))
        }
    }

    /// `HH:MM` on a 24-hour clock, as minutes after midnight; nil when it is not one.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCII) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        return hour * 60 + minute
    }
}
