import Foundation
import Logging
import MediaStreaming
import NIOPosix

/// Where a video's files are in the media root, and their removal.
///
/// Everything a player fetches lives in `videos/<id>/` (the scope one signed URL covers):
/// the HLS tree (`master.m3u8` and its rungs), the progressive `video.mp4`, the thumbnail
/// and the storyboard. The upload itself waits in `originals/` until processing.
struct VideoFiles: Sendable {
    let root: MediaRoot
    let folder: ConfinedFolder
    let threadPool: NIOThreadPool
    let logger: Logger

    /// The progressive file's name inside the video's folder.
    static let progressiveName = "video.mp4"
    /// The HLS master playlist's name inside the video's folder.
    static let masterPlaylistName = "master.m3u8"

    /// The file `name` (a relative path) in the video's folder, or nil if it would leave it.
    func file(_ name: String, of video: VideoRecord) -> URL? {
        guard !name.isEmpty, !name.hasPrefix("/") else { return nil }
        return folder.resolve("\(video.outputFolder)/\(name)")
    }

    /// The file `/stream` serves: the progressive output.
    func progressive(of video: VideoRecord) -> URL? { file(Self.progressiveName, of: video) }

    /// Removes every file of a deleted video; failures are logged, never thrown (the row is gone).
    func remove(_ video: VideoRecord) async {
        var paths = [root.path(video.outputFolder)]
        if let source = video.sourcePath, let url = folder.resolve(source) { paths.append(url.path) }
        if let thumbnail = video.thumbnailFilename, let url = folder.resolve("thumbnails/\(thumbnail)") { paths.append(url.path) }
        let doomed = paths
        do {
            try await threadPool.runIfActive { [logger] in
                for path in doomed where FileManager.default.fileExists(atPath: path) {
                    do { try FileManager.default.removeItem(atPath: path) } catch {
                        logger.warning("could not remove a deleted video's file", metadata: ["path": "\(path)", "error": "\(error)"])
                    }
                }
            }
        } catch {
            logger.warning("could not remove a deleted video's files", metadata: ["video.id": "\(video.id)", "error": "\(error)"])
        }
    }
}
