import Images
import TestSupport
import Testing

/// Recognising uploads by their magic bytes, whatever the client claims.
@Suite struct ImageFormatTests {
    /// A plausible 54-byte-header BMP: "BM", file size, reserved, data offset 54, DIB header 40.
    static let bmpHeader: [UInt8] = Array("BM".utf8) + [0x36, 0x8C, 0x0A, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0]

    @Test(arguments: [
        ([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8), ImageFormat.jpeg),
        ([0xFF, 0xD8, 0xFF, 0xDB], .jpeg),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D] + Array("IHDR".utf8), .png),
        (Array("GIF87a".utf8) + [0x40, 0x01], .gif),
        (Array("GIF89a".utf8) + [0x40, 0x01], .gif),
        (Array("RIFF".utf8) + [0x24, 0x12, 0, 0] + Array("WEBPVP8 ".utf8), .webp),
        (bmpHeader, .bmp),
    ] as [([UInt8], ImageFormat)])
    func recognisesEachFormat(bytes: [UInt8], format: ImageFormat) {
        #expect(ImageFormat.sniff(bytes) == format)
        #expect(ImageFormat.sniff(bytes[...]) == format, "works on any collection, e.g. a slice")
    }

    @Test(arguments: [
        ("empty", []),
        ("text", Array("hello, this is not an image at all".utf8)),
        ("html", Array("<!DOCTYPE html><html><body>".utf8)),
        ("truncated JPEG", [0xFF, 0xD8]),
        ("truncated PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D]),
        ("truncated GIF", Array("GIF8".utf8)),
        ("GIF of an unknown version", Array("GIF90a".utf8) + [0, 0]),
        ("truncated WebP", Array("RIFF".utf8) + [0x24, 0x12, 0, 0] + Array("WEB".utf8)),
        ("WAV", Array("RIFF".utf8) + [0x24, 0x12, 0, 0] + Array("WAVEfmt ".utf8)),
        ("MP4", [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)),
        ("text starting with BM", Array("BMW is a car maker, not a bitmap".utf8)),
        ("truncated BMP", Array(bmpHeader.prefix(17))),
        ("BMP with an unknown DIB header size", Array(bmpHeader.prefix(14)) + [41, 0, 0, 0]),
        ("BMP whose pixels start inside its headers", Array(bmpHeader.prefix(10)) + [20, 0, 0, 0, 40, 0, 0, 0]),
    ] as [(String, [UInt8])])
    func refusesEverythingElse(_ what: String, bytes: [UInt8]) {
        #expect(ImageFormat.sniff(bytes) == nil, "\(what)")
    }

    @Test func recognisesFilesMadeByFFmpeg() async throws {
        try await withImages { folder in
            for (name, format) in [("a.jpg", ImageFormat.jpeg), ("a.png", .png), ("a.gif", .gif), ("a.bmp", .bmp)] {
                try await folder.image(name, source: "testsrc=size=64x48")
                #expect(ImageFormat.sniff(try folder.bytes(of: name)) == format, "\(name)")
            }
            try await folder.image("a.webp", source: "testsrc=size=64x48", options: ["-c:v", "libwebp"])
            #expect(ImageFormat.sniff(try folder.bytes(of: "a.webp")) == .webp)
        }
    }
}
