import Foundation
import Hummingbird
import ServiceKit

/// The API's `Playlist` shape (§2); with `contains_video` when listed for one video.
struct PlaylistBody: ResponseEncodable {
    let playlist: PlaylistRecord
    var containsVideo: Bool?

    enum Keys: String, CodingKey {
        case id, name, description
        case shortID = "short_id", createdBy = "created_by", creatorUsername = "creator_username"
        case videoCount = "video_count", createdAt = "created_at", updatedAt = "updated_at"
        case firstVideoThumbnail = "first_video_thumbnail", containsVideo = "contains_video", videos
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(playlist.id.apiString, forKey: .id)
        try c.encode(playlist.shortID, forKey: .shortID)
        try c.encode(playlist.name, forKey: .name)
        try c.encode(playlist.description, forKey: .description)
        try c.encode(playlist.createdBy.apiString, forKey: .createdBy)
        try c.encode(playlist.creatorUsername, forKey: .creatorUsername)
        try c.encode(playlist.videoCount, forKey: .videoCount)
        try c.encode(playlist.createdAt, forKey: .createdAt)
        try c.encode(playlist.updatedAt, forKey: .updatedAt)
        try c.encode(playlist.firstVideoThumbnail, forKey: .firstVideoThumbnail)
        try c.encodeIfPresent(containsVideo, forKey: .containsVideo)
    }
}

/// `PlaylistWithVideos`: the playlist and its entries by position.
struct PlaylistWithVideosBody: ResponseEncodable {
    let playlist: PlaylistRecord
    let entries: [PlaylistEntryRecord]

    func encode(to encoder: any Encoder) throws {
        try PlaylistBody(playlist: playlist).encode(to: encoder)
        var c = encoder.container(keyedBy: PlaylistBody.Keys.self)
        try c.encode(entries.map(PlaylistEntryBody.init), forKey: .videos)
    }
}

/// The API's `PlaylistEntry` shape (§2), with the video embedded.
struct PlaylistEntryBody: ResponseEncodable {
    let entry: PlaylistEntryRecord

    enum Keys: String, CodingKey {
        case id, position, video
        case playlistID = "playlist_id", videoID = "video_id", addedAt = "added_at", addedBy = "added_by"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(entry.id.apiString, forKey: .id)
        try c.encode(entry.playlistID.apiString, forKey: .playlistID)
        try c.encode(entry.video.id.apiString, forKey: .videoID)
        try c.encode(entry.position, forKey: .position)
        try c.encode(entry.addedAt, forKey: .addedAt)
        try c.encode(entry.addedBy?.apiString, forKey: .addedBy)
        try c.encode(VideoBody(video: entry.video), forKey: .video)
    }
}

/// `{"playlists": [...], "total": n}`.
struct PlaylistListBody: ResponseEncodable {
    let playlists: [PlaylistBody]
    let total: Int
}
