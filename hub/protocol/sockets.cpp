#include "protocol/sockets.h"

#include <poll.h>

#include <cerrno>
#include <ctime>

namespace suqiu::protocol {

namespace {
void set_common(zmq::socket_t& s, const SocketTuning& t) {
  s.set(zmq::sockopt::linger, static_cast<int>(t.linger.count()));
  s.set(zmq::sockopt::maxmsgsize, t.max_frame_bytes);
  s.set(zmq::sockopt::sndhwm, t.sndhwm);
  s.set(zmq::sockopt::rcvhwm, t.rcvhwm);
  const auto type = s.get(zmq::sockopt::type);
  // Only TCP connections use these; other transports ignore them.
  s.set(zmq::sockopt::tcp_keepalive, 1);
  s.set(zmq::sockopt::tcp_keepalive_idle, static_cast<int>(t.keepalive_idle.count()));
  s.set(zmq::sockopt::tcp_keepalive_intvl, static_cast<int>(t.keepalive_interval.count()));
  s.set(zmq::sockopt::tcp_keepalive_cnt, t.keepalive_probes);
  if (type == ZMQ_ROUTER) s.set(zmq::sockopt::router_mandatory, 1);
}
}  // namespace

SocketTuning client_tuning() {
  SocketTuning t;
  t.max_frame_bytes = static_cast<std::int64_t>(kMaxReplyFrameBytes);
  return t;
}

void configure_server_socket(zmq::socket_t& socket, const SocketTuning& tuning) {
  set_common(socket, tuning);
}

void configure_client_socket(zmq::socket_t& socket, SocketTuning tuning) {
  set_common(socket, tuning);
}

bool send_frames(zmq::socket_t& socket, const Frames& frames, zmq::send_flags flags) {
  try {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const auto more = i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none;
      // Only the first part can fail with EAGAIN; later parts are queued with it.
      if (!socket.send(zmq::buffer(frames[i]), more | flags)) return false;
    }
    return true;
  } catch (const zmq::error_t& e) {
    if (e.num() == EHOSTUNREACH) return false;
    throw;
  }
}

bool send_routed(zmq::socket_t& socket, std::string_view routing_id, const Frames& frames,
                 zmq::send_flags flags) {
  try {
    if (!socket.send(zmq::buffer(routing_id), zmq::send_flags::sndmore | flags)) return false;
  } catch (const zmq::error_t& e) {
    if (e.num() == EHOSTUNREACH) return false;
    throw;
  }
  return send_frames(socket, frames, flags);
}

std::optional<Frames> recv_frames(zmq::socket_t& socket, zmq::recv_flags flags) {
  Frames frames;
  zmq::message_t part;
  do {
    if (!socket.recv(part, frames.empty() ? flags : zmq::recv_flags::none)) {
      if (frames.empty()) return std::nullopt;
      // A multipart message arrives whole; an empty read mid-message cannot happen.
      break;
    }
    frames.emplace_back(part.to_string());
  } while (part.more());
  return frames;
}

bool wait_readable(zmq::socket_t& socket, std::chrono::microseconds timeout) {
  using std::chrono::milliseconds;
  if (timeout % milliseconds(1) == std::chrono::microseconds(0)) {
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    return zmq::poll(&item, 1, std::chrono::duration_cast<milliseconds>(timeout)) > 0;
  }
  // ZMQ_FD becomes readable when the socket has news, not only messages;
  // ZMQ_EVENTS tells which, and reading it clears the descriptor.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = socket.get(zmq::sockopt::fd);
  for (;;) {
    if (socket.get(zmq::sockopt::events) & ZMQ_POLLIN) return true;
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= left.zero()) return false;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec wait{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    pollfd p{fd, POLLIN, 0};
    if (::ppoll(&p, 1, &wait, nullptr) < 0 && errno != EINTR) return false;
  }
}

}  // namespace suqiu::protocol
