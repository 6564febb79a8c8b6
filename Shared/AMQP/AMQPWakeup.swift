#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A self-pipe that interrupts a consumer's wait for the broker.
///
/// The consumer's poll blocks its connection's only thread in `poll(2)` for up
/// to a poll interval. An acknowledgement queued behind it would wait that
/// long; writing a byte here wakes the poll so the acknowledgement runs at
/// once. Both ends are non-blocking: a full pipe already means "wake up".
final class AMQPWakeup: Sendable {
    /// The end `poll(2)` watches.
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    /// Opens the pipe. Without one (no descriptors left) polls just run to their
    /// timeout: `poll(2)` ignores negative descriptors.
    init() {
        var descriptors: [Int32] = [-1, -1]
        if pipe(&descriptors) != 0 { descriptors = [-1, -1] }
        for descriptor in descriptors where descriptor >= 0 {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        if readDescriptor >= 0 { close(readDescriptor) }
        if writeDescriptor >= 0 { close(writeDescriptor) }
    }

    /// Wakes the poll, from any thread.
    func signal() {
        guard writeDescriptor >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe, on the connection's thread, before the poll that follows.
    func drain() {
        guard readDescriptor >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }

    /// Waits until the broker's socket or the pipe is readable, or `timeout` passes.
    ///
    /// - Returns: whether the broker's socket has data (or an error) to read.
    func wait(socket: Int32, timeout: Duration) -> Bool {
        var descriptors = [
            pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptors, nfds_t(descriptors.count), max(milliseconds, 0))
        // On EINTR or an error, report the socket readable: rabbitmq-c will find out what is wrong.
        guard ready >= 0 else { return true }
        return descriptors[0].revents != 0
    }
}
