// Socket hygiene and multipart I/O shared by the hub and its clients: every
// socket gets a finite linger, a frame-size limit and TCP keepalive; ROUTERs
// get ROUTER_MANDATORY. "No message yet" is an empty optional, not an exception.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <zmq.hpp>

#include "protocol/codec.h"

namespace suqiu::protocol {

struct SocketTuning {
  std::chrono::milliseconds linger{1000};
  // Dead TCP peers are found by TCP keepalive (idle, interval, probes), not
  // by ZMTP heartbeats: libzmq 4.3.4 sends its heartbeat PING without
  // checking for a broken connection, and asserts (aborting the whole
  // process) when a peer whose input was stopped by the high-water mark
  // disconnects before the next PING. hub_bad_input_test's never-reading
  // flooder hit it. Dead applications are found by the protocol's HEARTBEAT
  // messages (docs/protocol.md 4.3).
  std::chrono::seconds keepalive_idle{5};
  std::chrono::seconds keepalive_interval{2};
  int keepalive_probes = 5;
  std::int64_t max_frame_bytes = static_cast<std::int64_t>(kMaxFrameBytes);
  int sndhwm = 10000;
  int rcvhwm = 10000;
};

// Client defaults: the hub may send frames up to kMaxReplyFrameBytes.
SocketTuning client_tuning();

// For the hub's ROUTER/PUB sockets: ROUTER_MANDATORY (ROUTER only), MAXMSGSIZE,
// linger, TCP keepalive, high-water marks.
void configure_server_socket(zmq::socket_t& socket, const SocketTuning& tuning = {});

// For clients (DEALER/SUB): linger, TCP keepalive, and a frame limit that
// accepts what the hub may send (kMaxReplyFrameBytes).
void configure_client_socket(zmq::socket_t& socket, SocketTuning tuning = client_tuning());

// Sends all frames as one multipart message. Returns false when the message
// could not be queued (EAGAIN with dontwait, or EHOSTUNREACH on a ROUTER with
// ROUTER_MANDATORY: the peer is gone); other errors throw zmq::error_t.
bool send_frames(zmq::socket_t& socket, const Frames& frames,
                 zmq::send_flags flags = zmq::send_flags::none);
// As send_frames, with a ROUTER routing id in front.
bool send_routed(zmq::socket_t& socket, std::string_view routing_id, const Frames& frames,
                 zmq::send_flags flags = zmq::send_flags::none);

// Receives one multipart message; nullopt when none is ready (dontwait or
// ZMQ_RCVTIMEO expired).
std::optional<Frames> recv_frames(zmq::socket_t& socket,
                                  zmq::recv_flags flags = zmq::recv_flags::none);

// Waits up to `timeout` for the socket to become readable. zmq_poll counts
// whole milliseconds; a wait with a fraction of one (a feed pacing its
// intakes every half millisecond) waits on the socket's file descriptor.
bool wait_readable(zmq::socket_t& socket, std::chrono::microseconds timeout);

}  // namespace suqiu::protocol
