import Foundation
import ServiceKit

/// The transcoding and upload settings an admin changes at run time (API.md §3.8),
/// stored as one JSON object; keys are the API's field names.
struct RuntimeSettings: Codable, Sendable, Equatable {
    var maxFileSizeBytes: Int64 = 2 << 30
    var weeklyUploadLimitBytes: Int64 = 4 << 30
    var videoStoragePath: String
    var useGPUTranscoding = false
    var gpuDeviceID = 0
    var nvencPreset = "p4"
    var nvencCQ = 18
    var nvencRateControl = "vbr"
    var nvencMaxBitrate = "8M"
    var nvencBufferSize = "16M"
    var cpuPreset = "medium"
    var cpuCRF = 18
    var maxResolution = "1080p"
    var audioBitrate = "192k"
    var transcodePresetMode = "balanced"
    var videoOutputFormat = "hls"

    /// The defaults, with videos stored at `videoStoragePath`.
    init(videoStoragePath: String) {
        self.videoStoragePath = videoStoragePath
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxFileSizeBytes = "max_file_size_bytes"
        case weeklyUploadLimitBytes = "weekly_upload_limit_bytes"
        case videoStoragePath = "video_storage_path"
        case useGPUTranscoding = "use_gpu_transcoding"
        case gpuDeviceID = "gpu_device_id"
        case nvencPreset = "nvenc_preset"
        case nvencCQ = "nvenc_cq"
        case nvencRateControl = "nvenc_rate_control"
        case nvencMaxBitrate = "nvenc_max_bitrate"
        case nvencBufferSize = "nvenc_buffer_size"
        case cpuPreset = "cpu_preset"
        case cpuCRF = "cpu_crf"
        case maxResolution = "max_resolution"
        case audioBitrate = "audio_bitrate"
        case transcodePresetMode = "transcode_preset_mode"
        case videoOutputFormat = "video_output_format"
    }

    /// Every settable field's name.
    static let fieldNames = CodingKeys.allCases.map(\.rawValue)

    /// Reads stored settings; keys missing from an older row take their defaults.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(videoStoragePath: try container.decode(String.self, forKey: .videoStoragePath))
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        maxFileSizeBytes = try value(.maxFileSizeBytes, maxFileSizeBytes)
        weeklyUploadLimitBytes = try value(.weeklyUploadLimitBytes, weeklyUploadLimitBytes)
        useGPUTranscoding = try value(.useGPUTranscoding, useGPUTranscoding)
        gpuDeviceID = try value(.gpuDeviceID, gpuDeviceID)
        nvencPreset = try value(.nvencPreset, nvencPreset)
        nvencCQ = try value(.nvencCQ, nvencCQ)
        nvencRateControl = try value(.nvencRateControl, nvencRateControl)
        nvencMaxBitrate = try value(.nvencMaxBitrate, nvencMaxBitrate)
        nvencBufferSize = try value(.nvencBufferSize, nvencBufferSize)
        cpuPreset = try value(.cpuPreset, cpuPreset)
        cpuCRF = try value(.cpuCRF, cpuCRF)
        maxResolution = try value(.maxResolution, maxResolution)
        audioBitrate = try value(.audioBitrate, audioBitrate)
        transcodePresetMode = try value(.transcodePresetMode, transcodePresetMode)
        videoOutputFormat = try value(.videoOutputFormat, videoOutputFormat)
    }

    /// Applies a preset bundle (quality, balanced, performance); `custom` changes nothing.
    mutating func apply(preset mode: String) {
        let bundle: (String, Int, String, String, String, Int, String, String)? = switch mode {
        case "quality": ("p6", 16, "15M", "30M", "slow", 16, "4k", "256k")
        case "balanced": ("p4", 18, "8M", "16M", "medium", 18, "1080p", "192k")
        case "performance": ("p2", 23, "5M", "10M", "fast", 23, "1080p", "128k")
        default: nil
        }
        guard let bundle else { return }
        (nvencPreset, nvencCQ, nvencMaxBitrate, nvencBufferSize, cpuPreset, cpuCRF, maxResolution, audioBitrate) = bundle
    }
}

/// The Config object of the API: the settings plus when and by whom they last changed.
struct RuntimeConfig: Sendable, Encodable {
    var settings: RuntimeSettings
    var updatedAt: Date
    var updatedBy: UUID?

    func encode(to encoder: any Encoder) throws {
        try settings.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(APIDate.string(from: updatedAt), forKey: .updatedAt)
        try container.encode(updatedBy?.uuidString.lowercased(), forKey: .updatedBy)
    }

    private enum ExtraKeys: String, CodingKey {
        case updatedAt = "updated_at"
        case updatedBy = "updated_by"
    }
}
