import Foundation
import Subprocess

/// What the platform's ffmpeg can encode with, and whether an NVIDIA GPU is present
/// (`GET /api/config/encoders`).
struct EncoderDetection: Sendable {
    /// The encoders the API reports, when ffmpeg has them.
    static let reported = ["h264_nvenc", "hevc_nvenc", "av1_nvenc", "libx264", "libx265"]

    let ffmpeg: String

    /// The answer: `{gpu_available, gpu_name, encoders}`.
    struct Report: Codable, Sendable {
        var gpuAvailable: Bool
        var gpuName: String?
        var encoders: [String]

        enum CodingKeys: String, CodingKey {
            case encoders
            case gpuAvailable = "gpu_available"
            case gpuName = "gpu_name"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(gpuAvailable, forKey: .gpuAvailable)
            try container.encode(gpuName, forKey: .gpuName)
            try container.encode(encoders, forKey: .encoders)
        }
    }

    /// Runs `ffmpeg -encoders` (and `nvidia-smi` when an NVENC encoder is compiled in).
    func detect() async throws -> Report {
        let result = try await Subprocess.run(
            .name(ffmpeg), arguments: ["-hide_banner", "-encoders"], output: .string(limit: 1 << 20), error: .discarded)
        let listing = result.standardOutput
        guard result.terminationStatus.isSuccess else {
            throw EncoderDetectionFailed()
        }
        let encoders = Self.encoders(inListing: listing)
        let gpu = encoders.contains { $0.hasSuffix("_nvenc") }
        return Report(gpuAvailable: gpu, gpuName: gpu ? await gpuName() : nil, encoders: encoders)
    }

    /// The reported encoders named in `ffmpeg -encoders` output (" V....D libx264  ...").
    static func encoders(inListing listing: String) -> [String] {
        let names = Set(listing.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count >= 2, words[0].count == 6 else { return nil }
            return String(words[1])
        })
        return reported.filter(names.contains)
    }

    /// The first GPU's name from `nvidia-smi`, when it exists and answers.
    private func gpuName() async -> String? {
        guard let result = try? await Subprocess.run(
            .name("nvidia-smi"), arguments: ["--query-gpu=name", "--format=csv,noheader"],
            output: .string(limit: 4096), error: .discarded),
            result.terminationStatus.isSuccess,
            let name = result.standardOutput.split(separator: "\n").first
        else { return nil }
        return String(name).trimmingCharacters(in: CharacterSet.whitespaces)
    }
}

/// ffmpeg could not list its encoders.
struct EncoderDetectionFailed: Error {}
