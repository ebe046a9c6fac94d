// NodeRegistrar: makes this node known to the cluster, as a kubelet does. It creates the Node
// object when absent (labels kubernetes.io/hostname and kubernetes.io/os; existing labels and
// the spec written by others are left alone) and keeps its status current: InternalIP
// addresses, and a Ready condition refreshed every heartbeat interval.
#pragma once

#include "common/background_thread.h"

#include <chrono>
#include <string>
#include <vector>

#include "api/transport.h"
#include "model/net.h"

namespace egret::agent {

struct RegistrarOptions {
  std::string node_name;
  std::vector<model::IpAddress> addresses;
  std::chrono::milliseconds heartbeat{10000};
};

class NodeRegistrar {
 public:
  NodeRegistrar(api::Address server, std::string token, RegistrarOptions opts)
      : server_(std::move(server)), token_(std::move(token)), opts_(std::move(opts)) {}
  ~NodeRegistrar() { Stop(); }

  void Start();
  void Stop();

  // One registration + status write. Exposed for tests.
  Status RegisterOnce();

 private:
  void Run();
  api::Address server_;
  std::string token_;
  RegistrarOptions opts_;
  BackgroundThread loop_;
};

}  // namespace egret::agent
