/// One `range-spec` of an HTTP `Range: bytes=...` header (RFC 9110 §14.1.2), before the
/// size of the file is known.
package enum ByteRange: Equatable, Sendable {
    /// `first-last` or, without `last`, `first-` (to the end).
    case from(Int64, through: Int64?)
    /// `-length`: the last `length` bytes.
    case suffix(Int64)

    /// The range-specs of a `Range` header value, in the order sent.
    ///
    /// `nil` when the value is not a well-formed `bytes` range set: another unit, a stray
    /// character, a sign, an empty set. RFC 9110 §14.2 lets a server ignore such a header
    /// and answer 200 with the whole file, which is what the responder does. The unit is
    /// case-insensitive and optional whitespace around the commas is allowed; numbers too
    /// large for `Int64` saturate (an enormous `last-pos` is the end of the file anyway).
    package static func parse(header: String) -> [ByteRange]? {
        guard let equals = header.firstIndex(of: "="), header[..<equals].trimmingOWS.lowercased() == "bytes" else {
            return nil
        }
        var ranges: [ByteRange] = []
        for element in header[header.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false) {
            let spec = element.trimmingOWS
            // RFC 9110 §5.6.1: a recipient ignores empty list elements such as "0-1, ,5-6".
            if spec.isEmpty { continue }
            guard let range = ByteRange(spec: spec) else { return nil }
            ranges.append(range)
        }
        return ranges.isEmpty ? nil : ranges
    }

    /// Parses one `int-range` or `suffix-range`.
    private init?(spec: Substring) {
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let length = Self.digits(last) else { return nil }
            self = .suffix(length)
        } else {
            guard let start = Self.digits(first) else { return nil }
            if last.isEmpty {
                self = .from(start, through: nil)
            } else {
                guard let end = Self.digits(last) else { return nil }
                self = .from(start, through: end)
            }
        }
    }

    /// `1*DIGIT` as a number, saturating at `Int64.max`; `nil` for anything else.
    private static func digits(_ text: Substring) -> Int64? {
        guard !text.isEmpty else { return nil }
        var number: Int64 = 0
        for byte in text.utf8 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times10, overflow1) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            number = overflow1 || overflow2 ? .max : sum
        }
        return number
    }

    /// The bytes this range selects from a file of `size` bytes, or `nil` when it selects none.
    ///
    /// A `last` beyond the end is clamped to the last byte; a suffix longer than the file is
    /// the whole file. Nothing is selected by a `first` at or after the end, by a suffix of
    /// zero, by `last < first` (an invalid range, RFC 9110 §14.1.1), or from an empty file.
    package func resolved(size: Int64) -> ClosedRange<Int64>? {
        guard size > 0 else { return nil }
        switch self {
        case .from(let start, let end):
            let last = min(end ?? .max, size - 1)
            guard start < size, start <= last else { return nil }
            return start...last
        case .suffix(let length):
            guard length > 0 else { return nil }
            return max(size - length, 0)...(size - 1)
        }
    }
}

/// What a `Range` header asks of a file whose size is known.
package enum RangeSelection: Equatable, Sendable {
    /// The whole file, 200: no header, a header that is not a well-formed bytes range, or
    /// more ranges than ``RangeSelection/maximumParts`` (RFC 9110 §14.2 allows ignoring them).
    case whole
    /// One or more satisfiable ranges, 206. Several ranges are sorted and coalesced where
    /// they overlap or nearly touch (RFC 9110 §14.2 allows both), so they never overlap.
    case ranges([ClosedRange<Int64>])
    /// A well-formed header that selects no byte of the file, 416.
    case unsatisfiable

    /// Ranges closer than this are merged: a separate part would cost more in part headers.
    static let coalescingGap: Int64 = 80
    /// More parts than this are answered with the whole file, so many tiny ranges cannot
    /// turn one request into a flood of small reads and part headers.
    package static let maximumParts = 16

    /// Evaluates `header` (the `Range` value, `nil` when absent) against a file of `size` bytes.
    package init(header: String?, size: Int64) {
        guard let header, let specs = ByteRange.parse(header: header) else {
            self = .whole
            return
        }
        let satisfiable = specs.compactMap { $0.resolved(size: size) }
        guard !satisfiable.isEmpty else {
            self = .unsatisfiable
            return
        }
        guard satisfiable.count > 1 else {
            self = .ranges(satisfiable)
            return
        }
        var merged: [ClosedRange<Int64>] = []
        for range in satisfiable.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound + Self.coalescingGap {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self = merged.count > Self.maximumParts ? .whole : .ranges(merged)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (RFC 9110's `OWS`).
    var trimmingOWS: Substring {
        let text = Substring(self)
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isOWS($0) }), let end = text.lastIndex(where: { !isOWS($0) }) else {
            return ""
        }
        return text[start...end]
    }
}
