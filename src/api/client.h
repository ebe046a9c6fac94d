// Client of the Egret API, used by the CLI, agents and tests. One Client owns one connection;
// calls are sequential. A watch turns the connection into an event stream (see WatchSession).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "api/transport.h"
#include "common/status.h"
#include "doc/value.h"

namespace egret::api {

struct ApplyOutcome {
  std::string kind, namespace_, name;
  std::string action;  // "created" | "configured" | "unchanged"
  std::string resource_version;
};

struct DeleteOutcome {
  std::string kind, namespace_, name;
};

struct ObjectRefArg {
  std::string kind, namespace_, name;
};

class WatchSession {
 public:
  explicit WatchSession(Connection conn) : conn_(std::move(conn)) {}
  // Next event frame ({"type": ..., "object": ...} or a BOOKMARK); kDeadlineExceeded on
  // timeout, kUnavailable when the server closed; the server's error (e.g. kGone) when it ended the stream.
  StatusOr<doc::Value> Next(std::chrono::milliseconds timeout);

 private:
  Connection conn_;
};

class Client {
 public:
  // Connects; sends the token first when one is given (TCP servers require it).
  static StatusOr<Client> Connect(const Address& addr, const std::string& token = "");

  // Sends one request and returns the ok reply, or the server's error as a Status.
  // kDeadlineExceeded when no reply comes within kCallTimeout.
  static constexpr std::chrono::seconds kCallTimeout{30};
  StatusOr<doc::Value> Call(const doc::Value& request);

  StatusOr<doc::Value> Get(const std::string& kind, const std::string& ns, const std::string& name);
  // reply: {"items": [...], "resourceVersion": "N"}
  StatusOr<doc::Value> List(const std::string& kind, const std::string& ns,
                            const std::string& label_selector = "");
  // Validates the whole batch on the server, then writes all or nothing.
  StatusOr<std::vector<ApplyOutcome>> Apply(const std::vector<doc::Value>& objects,
                                            const std::string& default_namespace,
                                            bool dry_run = false);
  StatusOr<std::vector<DeleteOutcome>> Delete(const std::vector<ObjectRefArg>& refs,
                                              bool ignore_not_found = false);
  StatusOr<doc::Value> PutStatus(const std::string& kind, const std::string& ns,
                                 const std::string& name, const doc::Value& status,
                                 std::optional<int64_t> expected_version = std::nullopt);
  // Consumes the client: the connection now carries events.
  static StatusOr<WatchSession> Watch(Client client, const std::string& kind,
                                      int64_t from_version);
  // Any stream request (watch, watchEgress): sends `request`, and on the ok reply the
  // connection carries the stream's frames.
  static StatusOr<WatchSession> Stream(Client client, const doc::Value& request);

 private:
  explicit Client(Connection conn) : conn_(std::move(conn)) {}
  Connection conn_;
};

}  // namespace egret::api
