#include "api/frame_server.h"

#include <system_error>

#include "api/protocol.h"
#include "common/log.h"

namespace egret::api {
namespace {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

}  // namespace

Status FrameServer::Serve(Listener listener) {
  if (listener.address().type == Address::Type::kTcp && options_.token.empty()) {
    return InvalidError("listen " + listener.address().ToString() +
                        ": a TCP listener needs a token (--token-file)");
  }
  std::lock_guard lock(mu_);
  listeners_.push_back(std::make_unique<Listener>(std::move(listener)));
  Listener* l = listeners_.back().get();
  accept_threads_.emplace_back([this, l] { AcceptLoop(l); });
  return Status::Ok();
}

bool FrameServer::Track(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  // Reap connections that have ended, so a long-lived server holds only live threads.
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (*it->done) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  if (workers_.size() >= kMaxConnections) return false;
  auto done = std::make_shared<std::atomic<bool>>(false);
  try {
    workers_.push_back({std::thread([fn = std::move(fn), done] {
                          fn();
                          *done = true;
                        }),
                        done});
  } catch (const std::system_error&) {
    return false;  // out of threads: refuse this connection, keep serving the others
  }
  return true;
}

void FrameServer::Stop() {
  stopping_ = true;
  // Accept loops first: once they are joined no new connection thread can start.
  std::vector<std::thread> accept_threads;
  {
    std::lock_guard lock(mu_);
    accept_threads.swap(accept_threads_);
  }
  for (std::thread& t : accept_threads) t.join();
  std::list<Worker> workers;
  {
    std::lock_guard lock(mu_);
    workers.swap(workers_);
  }
  for (Worker& w : workers) w.thread.join();
  // Close the listening sockets: new clients get "connection refused" at once.
  std::lock_guard lock(mu_);
  listeners_.clear();
}

void FrameServer::AcceptLoop(Listener* listener) {
  bool tcp = listener->address().type == Address::Type::kTcp;
  while (!stopping_) {
    auto conn = listener->Accept(kPollInterval);
    if (!conn.ok()) {
      if (conn.status().code() != Code::kDeadlineExceeded) {
        // E.g. out of file descriptors: back off instead of spinning on a readable listener.
        EGRET_LOG(kWarn, "api") << "accept: " << conn.status().message();
        std::this_thread::sleep_for(kPollInterval);
      }
      continue;
    }
    auto shared = std::make_shared<Connection>(std::move(*conn));
    if (!Track([this, shared, tcp] { ServeConnection(std::move(*shared), tcp); })) {
      EGRET_LOG(kWarn, "api") << "refusing a connection: " << kMaxConnections
                              << " connections are being served";
    }
  }
}

void FrameServer::ServeConnection(Connection conn, bool needs_auth) {
  bool authed = !needs_auth;
  auto auth_deadline = std::chrono::steady_clock::now() + kAuthDeadline;
  while (!stopping_) {
    auto req = conn.Read(kPollInterval);
    if (!req.ok()) {
      if (req.status().code() == Code::kDeadlineExceeded) {
        if (!authed && std::chrono::steady_clock::now() > auth_deadline) return;
        continue;
      }
      if (req.status().code() == Code::kInvalid) (void)conn.Write(ErrorReply(req.status()));
      return;  // closed by the peer, or unreadable
    }
    if (StringField(*req, "op") == "auth") {
      authed = !options_.token.empty() &&
               ConstantTimeEquals(StringField(*req, "token"), options_.token);
      Status reply = authed ? Status::Ok() : Status(Code::kUnauthorized, "invalid token");
      if (!conn.Write(authed ? OkReply() : ErrorReply(reply)).ok() || !authed) return;
      continue;
    }
    if (!authed) {
      (void)conn.Write(ErrorReply(
          {Code::kUnauthorized, "authenticate first: send {\"op\":\"auth\",\"token\":...}"}));
      return;
    }
    if (handler_->IsStream(*req)) {
      handler_->Stream(conn, *req, stopping_);
      return;
    }
    if (!conn.Write(handler_->Handle(*req)).ok()) return;
  }
}

}  // namespace egret::api
