import Images
import TestSupport
import Testing

/// What the renderer refuses, and that a failure leaves nothing behind.
@Suite struct SquareWebPRendererFailureTests {
    /// Renders `input` to `out.webp` in `folder` and returns the error it throws.
    func failure(
        of input: String, in folder: ImageFolder, renderer: SquareWebPRenderer = makeRenderer()
    ) async throws -> ImageProcessingError {
        try await #require(throws: ImageProcessingError.self) {
            try await renderer.render(input: folder.path(input), output: folder.path("out.webp"))
        }
    }

    @Test func garbageWithAnImageNameIsInvalidAndLeavesNoFile() async throws {
        try await withImages { folder in
            try folder.file("avatar.png", bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) })
            let error = try await failure(of: "avatar.png", in: folder)

            #expect(error.kind == .invalidImage)
            #expect(error.message == "The file is not a JPEG, PNG, GIF, WebP or BMP image.")
            #expect(try folder.fileNames() == ["avatar.png"])
        }
    }

    @Test func aDamagedImageIsInvalidWithFFmpegsReasonAndLeavesNoFile() async throws {
        try await withImages { folder in
            try await folder.image("photo.png", source: "testsrc=size=640x360")
            let damaged = try folder.bytes(of: "photo.png").prefix(16) + Array(repeating: 0x41, count: 2000)
            try folder.file("photo.png", bytes: Array(damaged))
            let error = try await failure(of: "photo.png", in: folder)

            #expect(error.kind == .invalidImage)
            #expect(error.message.hasPrefix("The image could not be decoded"), "\(error)")
            #expect(error.message.count <= 340, "ffmpeg's output is cut short")
            #expect(!error.message.contains("0x"), "no addresses from ffmpeg's log prefixes: \(error)")
            #expect(try folder.fileNames() == ["photo.png"])
        }
    }

    @Test func aFailedRenderLeavesTheOldOutputUntouched() async throws {
        try await withImages { folder in
            try folder.file("out.webp", bytes: Array("previous avatar".utf8))
            try folder.file("broken.jpg", bytes: [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0, count: 100))
            _ = try await failure(of: "broken.jpg", in: folder)

            #expect(try folder.bytes(of: "out.webp") == Array("previous avatar".utf8))
            #expect(try folder.fileNames() == ["broken.jpg", "out.webp"])
        }
    }

    @Test func anImageOverThePixelLimitIsInvalid() async throws {
        try await withImages { folder in
            try await folder.image("huge.png", source: "testsrc=size=640x360")
            let error = try await failure(of: "huge.png", in: folder, renderer: makeRenderer(maxPixels: 100 * 100))

            #expect(error.kind == .invalidImage)
            #expect(error.message.contains("exceeds specified max pixel count"), "\(error)")
            #expect(try folder.fileNames() == ["huge.png"])
        }
    }

    @Test func aRenderOverTheTimeLimitIsKilledAndTimesOut() async throws {
        try await withImages { folder in
            try await folder.image("slow.png", source: "testsrc=size=640x360")
            let clock = ContinuousClock()
            let started = clock.now
            let error = try await failure(of: "slow.png", in: folder, renderer: makeRenderer(timeout: .milliseconds(5)))

            #expect(error.kind == .timedOut)
            // Only a bound against hanging: on a loaded 2-core machine starting and killing
            // ffmpeg alone once took 5.2 s.
            #expect(clock.now - started < .seconds(20))
            #expect(try folder.fileNames() == ["slow.png"])
        }
    }

    @Test(arguments: ["/nonexistent/bin/ffmpeg", "clipset-no-such-ffmpeg"])
    func aMissingFFmpegIsUnavailable(ffmpegPath: String) async throws {
        try await withImages { folder in
            try await folder.image("photo.jpg", source: "testsrc=size=64x64")
            let error = try await failure(of: "photo.jpg", in: folder, renderer: makeRenderer(ffmpegPath: ffmpegPath))

            #expect(error.kind == .ffmpegUnavailable)
            #expect(try folder.fileNames() == ["photo.jpg"])
        }
    }

    @Test func aCancelledRenderStopsAndLeavesNoFile() async throws {
        try await withImages { folder in
            try await folder.image("photo.png", source: "testsrc=size=640x360")
            let renderer = makeRenderer()
            let render = Task {
                try await renderer.render(input: folder.path("photo.png"), output: folder.path("out.webp"))
            }
            render.cancel()

            await #expect(throws: CancellationError.self) { try await render.value }
            #expect(try folder.fileNames() == ["photo.png"])
        }
    }
}
