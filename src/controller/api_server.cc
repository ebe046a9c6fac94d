#include "controller/api_server.h"

#include "api/protocol.h"
#include "common/log.h"
#include "common/strings.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

constexpr std::chrono::milliseconds kPollInterval{200};

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

doc::Value EventFrame(const ports::WatchEvent& ev) {
  doc::Value f = doc::Value::EmptyMap();
  f.Set("type", ports::EventTypeName(ev.type));
  auto obj = doc::ParseJson(ev.object.json);
  f.Set("object", obj.ok() ? std::move(*obj) : doc::Value());
  return f;
}

}  // namespace

Status ApiServer::Serve(api::Listener listener) {
  if (listener.address().type == api::Address::Type::kTcp && options_.token.empty()) {
    return InvalidError("listen " + listener.address().ToString() +
                        ": a TCP listener needs a token (--token-file)");
  }
  std::lock_guard lock(mu_);
  listeners_.push_back(std::make_unique<api::Listener>(std::move(listener)));
  api::Listener* l = listeners_.back().get();
  accept_threads_.emplace_back([this, l] { AcceptLoop(l); });
  return Status::Ok();
}

void ApiServer::Track(std::function<void()> fn) {
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
  auto done = std::make_shared<std::atomic<bool>>(false);
  workers_.push_back({std::thread([fn = std::move(fn), done] {
                        fn();
                        *done = true;
                      }),
                      done});
}

void ApiServer::Stop() {
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
}

void ApiServer::AcceptLoop(api::Listener* listener) {
  bool tcp = listener->address().type == api::Address::Type::kTcp;
  while (!stopping_) {
    auto conn = listener->Accept(kPollInterval);
    if (!conn.ok()) {
      if (conn.status().code() != Code::kDeadlineExceeded) {
        EGRET_LOG(kWarn, "api") << "accept: " << conn.status().message();
      }
      continue;
    }
    auto shared = std::make_shared<api::Connection>(std::move(*conn));
    Track([this, shared, tcp] { ServeConnection(std::move(*shared), tcp); });
  }
}

void ApiServer::ServeConnection(api::Connection conn, bool needs_auth) {
  bool authed = !needs_auth;
  while (!stopping_) {
    auto req = conn.Read(kPollInterval);
    if (!req.ok()) {
      if (req.status().code() == Code::kDeadlineExceeded) continue;
      if (req.status().code() == Code::kInvalid) {
        (void)conn.Write(api::ErrorReply(req.status()));
      }
      return;  // closed by the peer, or unreadable
    }
    std::string op = api::StringField(*req, "op");
    if (op == "auth") {
      authed = !options_.token.empty() &&
               ConstantTimeEquals(api::StringField(*req, "token"), options_.token);
      if (!conn.Write(authed ? api::OkReply()
                             : api::ErrorReply({Code::kUnauthorized, "invalid token"}))
               .ok() ||
          !authed) {
        return;
      }
      continue;
    }
    if (!authed) {
      (void)conn.Write(api::ErrorReply(
          {Code::kUnauthorized, "authenticate first: send {\"op\":\"auth\",\"token\":...}"}));
      return;
    }
    if (op == "watch") {
      StreamWatch(conn, *req);
      return;
    }
    if (!conn.Write(service_->Handle(*req)).ok()) return;
  }
}

void ApiServer::StreamWatch(api::Connection& conn, const doc::Value& request) {
  std::string kind = api::StringField(request, "kind");
  auto from = ParseInt(api::StringField(request, "resourceVersion"));
  int64_t last = from.value_or(0);
  auto stream = service_->store()->Watch(kind, last);
  if (!stream.ok()) {
    (void)conn.Write(api::ErrorReply(stream.status()));
    return;
  }
  if (!conn.Write(api::OkReply()).ok()) return;
  auto last_frame = std::chrono::steady_clock::now();
  while (!stopping_) {
    auto events = (*stream)->Next(kPollInterval);
    if (!events.ok()) {
      (void)conn.Write(api::ErrorReply(events.status()));
      return;
    }
    for (const ports::WatchEvent& ev : *events) {
      if (!conn.Write(EventFrame(ev)).ok()) return;
      last = ev.object.resource_version;
      last_frame = std::chrono::steady_clock::now();
    }
    if (std::chrono::steady_clock::now() - last_frame >= options_.bookmark_interval) {
      // The version of the last event delivered: resuming from it loses nothing.
      doc::Value bm = doc::Value::EmptyMap();
      bm.Set("type", "BOOKMARK");
      bm.Set("resourceVersion", std::to_string(last));
      if (!conn.Write(bm).ok()) return;
      last_frame = std::chrono::steady_clock::now();
    }
  }
}

}  // namespace egret::controller
