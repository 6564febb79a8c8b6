import Foundation
import ServiceKit

/// A PATCH of the runtime settings, validated field by field with the limits of
/// API.md §3.8; every bad field is one 422 problem.
struct RuntimeSettingsChange: Sendable {
    /// The largest `max_file_size_bytes` an admin may set (API §3.8): 10 GiB.
    static let maxFileSizeLimit: Int64 = 10 << 30

    /// The fields sent, already validated, applied in order after any preset.
    private var changes: [@Sendable (inout RuntimeSettings) -> Void] = []
    private(set) var presetMode: String?
    private(set) var storagePath: String?
    private(set) var isEmpty = true

    static let nvencPresets: Set<String> = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]
    static let rateControls: Set<String> = ["vbr", "cbr", "constqp"]
    static let cpuPresets: Set<String> = [
        "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow",
    ]
    static let resolutions: Set<String> = ["720p", "1080p", "1440p", "4k"]
    static let presetModes: Set<String> = ["quality", "balanced", "performance", "custom"]
    static let outputFormats: Set<String> = ["hls", "progressive"]

    /// Reads and validates the body; throws the 422 of every problem.
    init(fields reader: FieldReader) throws {
        var fields = reader
        isEmpty = !RuntimeSettings.fieldNames.contains { fields.contains($0) }
        integer(&fields, "max_file_size_bytes", min: 1 << 20, max: Self.maxFileSizeLimit) { $0.maxFileSizeBytes = $1 }
        integer(&fields, "weekly_upload_limit_bytes", min: 1 << 20, max: 100 << 30) { $0.weeklyUploadLimitBytes = $1 }
        if let path = fields.optionalString("video_storage_path") {
            let trimmed = path.trimmingCharacters(in: .whitespacesAndNewlines)
            fields.checkLength("video_storage_path", trimmed, min: 1, max: 500)
            storagePath = trimmed
            changes.append { $0.videoStoragePath = trimmed }
        }
        if let flag = fields.optionalBool("use_gpu_transcoding") { changes.append { $0.useGPUTranscoding = flag } }
        integer(&fields, "gpu_device_id", min: 0, max: 15) { $0.gpuDeviceID = Int($1) }
        choice(&fields, "nvenc_preset", Self.nvencPresets) { $0.nvencPreset = $1 }
        integer(&fields, "nvenc_cq", min: 0, max: 51) { $0.nvencCQ = Int($1) }
        choice(&fields, "nvenc_rate_control", Self.rateControls) { $0.nvencRateControl = $1 }
        bitrate(&fields, "nvenc_max_bitrate", units: "kKmMgG", uppercased: true) { $0.nvencMaxBitrate = $1 }
        bitrate(&fields, "nvenc_buffer_size", units: "kKmMgG", uppercased: true) { $0.nvencBufferSize = $1 }
        choice(&fields, "cpu_preset", Self.cpuPresets) { $0.cpuPreset = $1 }
        integer(&fields, "cpu_crf", min: 0, max: 51) { $0.cpuCRF = Int($1) }
        choice(&fields, "max_resolution", Self.resolutions) { $0.maxResolution = $1 }
        bitrate(&fields, "audio_bitrate", units: "kK", uppercased: false, unitRequired: true) { $0.audioBitrate = $1 }
        if let mode = fields.optionalString("transcode_preset_mode") {
            if Self.presetModes.contains(mode) {
                presetMode = mode
                changes.append { $0.transcodePresetMode = mode }
            } else {
                fields.report("transcode_preset_mode", Self.patternMessage(Self.presetModes), type: "string_pattern_mismatch")
            }
        }
        choice(&fields, "video_output_format", Self.outputFormats) { $0.videoOutputFormat = $1 }
        try fields.validate()
    }

    /// The settings after this change: the preset bundle first, then the fields sent.
    func applied(to settings: RuntimeSettings) -> RuntimeSettings {
        var result = settings
        if let presetMode { result.apply(preset: presetMode) }
        for change in changes { change(&result) }
        return result
    }

    private mutating func integer(
        _ fields: inout FieldReader, _ key: String, min: Int64, max: Int64,
        _ apply: @escaping @Sendable (inout RuntimeSettings, Int64) -> Void
    ) {
        guard let value = fields.optionalInt(key) else { return }
        let before = fields.problems.count
        fields.checkRange(key, value, min: Int(min), max: Int(max))
        guard fields.problems.count == before else { return }
        changes.append { apply(&$0, Int64(value)) }
    }

    private mutating func choice(
        _ fields: inout FieldReader, _ key: String, _ allowed: Set<String>,
        _ apply: @escaping @Sendable (inout RuntimeSettings, String) -> Void
    ) {
        guard let value = fields.optionalString(key) else { return }
        guard allowed.contains(value) else {
            fields.report(key, Self.patternMessage(allowed), type: "string_pattern_mismatch")
            return
        }
        changes.append { apply(&$0, value) }
    }

    /// Digits and an optional (or required) unit letter, normalised to upper or lower case.
    private mutating func bitrate(
        _ fields: inout FieldReader, _ key: String, units: String, uppercased: Bool, unitRequired: Bool = false,
        _ apply: @escaping @Sendable (inout RuntimeSettings, String) -> Void
    ) {
        guard let value = fields.optionalString(key) else { return }
        let digits = value.prefix { $0.isASCII && $0.isNumber }
        let rest = value.dropFirst(digits.count)
        let valid = !digits.isEmpty && (rest.isEmpty ? !unitRequired : rest.count == 1 && units.contains(rest))
        guard valid else {
            let shape = unitRequired ? "digits followed by k" : "digits with an optional k, M or G"
            fields.report(key, "Value error, must be \(shape) (e.g. \(unitRequired ? "192k" : "8M"))")
            return
        }
        let normalised = uppercased ? value.uppercased() : value.lowercased()
        changes.append { apply(&$0, normalised) }
    }

    private static func patternMessage(_ allowed: Set<String>) -> String {
        "Value error, must be one of: \(allowed.sorted().joined(separator: ", "))"
    }
}
