#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import NIOPosix
import ServiceKit

/// Feeds a body to MultipartParser piece by piece, and tells when its close delimiter has passed.
///
/// MultipartParser skips what follows the close delimiter without saying that it saw one, so a
/// body cut off after a part boundary would pass for complete. The feeder finds each
/// `\r\n--boundary` itself and hands the parser the byte after it alone: the body is complete when
/// that byte is `-`, it ended a part, and the next byte is `-` too. Look-alike bytes at the start
/// of a part's content or of a header line end no part, so they are not mistaken for the end.
struct MultipartFeeder {
    /// The largest piece handed to the parser at once.
    static let pieceBytes = 64 * 1024
    /// The most bytes the parser may take in without a callback: it holds a header line in memory
    /// until the line ends, so this bounds a header line (and the preamble). Counted by whole
    /// pieces, so a line of up to about twice this may pass: a bound on memory, not a rule.
    static let maxQuietBytes = 64 * 1024

    private enum Position { case inParts, afterDelimiter, afterHyphen, complete }

    private let parser: MultipartParser
    private let collector: StreamedPartCollector
    private var scanner: DelimiterScanner
    private var position = Position.inParts
    /// Bytes parsed since the last callback.
    private var quietBytes = 0

    var isComplete: Bool { position == .complete }

    init(boundary: String, collector: StreamedPartCollector) {
        parser = MultipartParser(boundary: boundary)
        parser.onHeader = { collector.header(name: $0, value: $1) }
        parser.onBody = { collector.body(&$0) }
        parser.onPartComplete = { collector.completePart() }
        self.collector = collector
        scanner = DelimiterScanner(boundary: boundary)
    }

    /// Parses the next piece of the body; nothing more once it is complete.
    ///
    /// - Throws: ``FormDataParser/malformed``; the refusal of a limit the collector hit.
    mutating func feed(_ piece: ByteBuffer) throws {
        var rest = piece
        while rest.readableBytes > 0 {
            switch position {
            case .inParts:
                if let end = scanner.endOfDelimiter(in: rest) {
                    try execute(rest.readSlice(length: end)!)
                    position = .afterDelimiter
                } else {
                    try execute(rest)
                    rest.moveReaderIndex(to: rest.writerIndex)
                }
            case .afterDelimiter:
                let byte = rest.readSlice(length: 1)!
                _ = scanner.endOfDelimiter(in: byte)  // it may start the next delimiter
                let partsEnded = collector.partsEnded
                try execute(byte)
                let endedPart = collector.partsEnded > partsEnded
                position = endedPart && byte.readableBytesView.first == UInt8(ascii: "-") ? .afterHyphen : .inParts
            case .afterHyphen:
                guard rest.readInteger(as: UInt8.self) == UInt8(ascii: "-") else { throw FormDataParser.malformed }
                position = .complete
            case .complete:
                return
            }
        }
    }

    private mutating func execute(_ piece: ByteBuffer) throws {
        let events = collector.events
        do {
            try parser.execute(piece)
        } catch {
            throw collector.error ?? FormDataParser.malformed
        }
        if let error = collector.error { throw error }
        quietBytes = collector.events == events ? quietBytes + piece.readableBytes : 0
        guard quietBytes <= Self.maxQuietBytes else { throw FormDataParser.malformed }
    }
}
