import Images
import TestSupport
import Testing

/// Rendering real images of every accepted format to a square WebP.
@Suite struct SquareWebPRendererTests {
    @Test(arguments: [
        ("photo.jpg", [String]()),
        ("drawing.png", []),
        ("still.gif", []),
        ("scan.bmp", []),
        ("sticker.webp", ["-c:v", "libwebp"]),
    ])
    func everyFormatBecomesA256SquareWebP(name: String, options: [String]) async throws {
        try await withImages { folder in
            try await folder.image(name, source: "testsrc=size=640x360", options: options)
            try await makeRenderer().render(input: folder.path(name), output: folder.path("avatar.webp"))

            #expect(ImageFormat.sniff(try folder.bytes(of: "avatar.webp")) == .webp)
            #expect(try await folder.dimensions(of: "avatar.webp") == "256,256")
            #expect(try folder.fileNames() == ["avatar.webp", name], "no temporary file is left behind")
        }
    }

    @Test func theFormatComesFromTheBytesNotTheFileName() async throws {
        try await withImages { folder in
            try await folder.image("real.jpg", source: "testsrc=size=320x240")
            let disguised = try folder.file("upload.png", bytes: try folder.bytes(of: "real.jpg"))
            try await makeRenderer().render(input: disguised, output: folder.path("out.webp"))
            #expect(try await folder.dimensions(of: "out.webp") == "256,256")
        }
    }

    @Test func pathsWithSpacesColonsAndPercentSignsAreTakenLiterally() async throws {
        try await withImages { folder in
            try await folder.image("source.png", source: "testsrc=size=320x240")
            let input = try folder.file("my photo: 100% %d.png", bytes: try folder.bytes(of: "source.png"))
            try await makeRenderer().render(input: input, output: folder.path("avatar: 50% %03d.webp"))
            #expect(try await folder.dimensions(of: "avatar: 50% %03d.webp") == "256,256")
        }
    }

    @Test func aLandscapeImageIsFittedWithWhiteBarsAboveAndBelow() async throws {
        try await withImages { folder in
            try await folder.image("wide.png", source: "color=c=red:s=640x360")
            try await makeRenderer().render(input: folder.path("wide.png"), output: folder.path("out.webp"))

            // 640x360 fits as 256x144, centred: rows 56 to 199 are the image.
            #expect(try await folder.pixel(of: "out.webp", x: 128, y: 10, width: 256).isWhite)
            #expect(try await folder.pixel(of: "out.webp", x: 128, y: 245, width: 256).isWhite)
            let centre = try await folder.pixel(of: "out.webp", x: 128, y: 128, width: 256)
            #expect(centre.red > 200 && centre.green < 60 && centre.blue < 60, "\(centre)")
            let leftEdge = try await folder.pixel(of: "out.webp", x: 2, y: 128, width: 256)
            #expect(!leftEdge.isWhite, "the image spans the full width: \(leftEdge)")
        }
    }

    @Test func aPortraitImageIsFittedWithWhiteBarsLeftAndRight() async throws {
        try await withImages { folder in
            try await folder.image("tall.png", source: "color=c=blue:s=360x640")
            try await makeRenderer(side: 400).render(input: folder.path("tall.png"), output: folder.path("out.webp"))

            #expect(try await folder.dimensions(of: "out.webp") == "400,400")
            #expect(try await folder.pixel(of: "out.webp", x: 10, y: 200, width: 400).isWhite)
            let centre = try await folder.pixel(of: "out.webp", x: 200, y: 200, width: 400)
            #expect(centre.blue > 200 && centre.red < 60, "\(centre)")
        }
    }

    @Test func transparentPixelsBecomeWhite() async throws {
        try await withImages { folder in
            // Transparent black everywhere but an opaque blue square in the middle.
            let alpha = "a='if(between(X\\,100\\,199)*between(Y\\,100\\,199)\\,255\\,0)'"
            try await folder.image("logo.png", source: "color=c=black:s=300x300,format=rgba,geq=r=0:g=0:b=255:\(alpha)")
            try await makeRenderer().render(input: folder.path("logo.png"), output: folder.path("out.webp"))

            let corner = try await folder.pixel(of: "out.webp", x: 2, y: 2, width: 256)
            #expect(corner.isWhite, "\(corner)")
            let centre = try await folder.pixel(of: "out.webp", x: 128, y: 128, width: 256)
            #expect(centre.blue > 200 && centre.red < 60, "\(centre)")
        }
    }

    @Test func onlyTheFirstFrameOfAnAnimationIsUsed() async throws {
        try await withImages { folder in
            // One red frame, then ten blue ones.
            let frames = "color=c=red:s=64x64:r=10:d=0.1[a];color=c=blue:s=64x64:r=10:d=1[b];[a][b]concat=n=2:v=1[out0]"
            try await folder.image("blink.gif", source: frames, options: ["-frames:v", "11"])
            try await makeRenderer().render(input: folder.path("blink.gif"), output: folder.path("out.webp"))

            let centre = try await folder.pixel(of: "out.webp", x: 128, y: 128, width: 256)
            #expect(centre.red > 200 && centre.blue < 60, "\(centre)")
        }
    }

    @Test func anExistingOutputIsReplaced() async throws {
        try await withImages { folder in
            try folder.file("avatar.webp", bytes: Array("old avatar".utf8))
            try await folder.image("new.png", source: "testsrc=size=64x64")
            try await makeRenderer().render(input: folder.path("new.png"), output: folder.path("avatar.webp"))

            #expect(ImageFormat.sniff(try folder.bytes(of: "avatar.webp")) == .webp)
            #expect(try await folder.dimensions(of: "avatar.webp") == "256,256", "a small image is scaled up to fit")
        }
    }
}
