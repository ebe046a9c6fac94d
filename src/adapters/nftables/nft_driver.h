// NftDriver: Egret's only door to nftables. It hands scripts to libnftables, which turns each
// into one netlink batch that the kernel commits as a single transaction.
//
// Namespaces: the libnftables context opens its netfilter socket in Create(), so the driver acts
// in the network namespace of the thread that called Create() — also when later calls come from
// another thread (the agent keeps one driver per namespace it programs). One exception follows
// from libnftables: names given to `iif`/`oif` (interface *indexes*) are resolved in the calling
// thread's namespace while the script is evaluated, so Egret's scripts match with
// `iifname`/`oifname` instead.
//
// Threads: one driver must not be used by two threads at once. Different drivers may: libnftables
// keeps some state per process (an interface cache, one-time initialisation), so every call into
// it is serialised process-wide.
#pragma once

#include <memory>
#include <string_view>

#include "common/status.h"
#include "doc/value.h"

struct nft_ctx;

namespace egret::nftables {

class NftDriver {
 public:
  // A context bound to the calling thread's network namespace. Unavailable (or another errno
  // code) when no netfilter netlink socket can be opened.
  static StatusOr<std::unique_ptr<NftDriver>> Create();
  ~NftDriver();
  NftDriver(const NftDriver&) = delete;
  NftDriver& operator=(const NftDriver&) = delete;

  // Runs `script` (nft -f syntax) as ONE transaction: every command takes effect, or none does
  // (a parse error, an evaluation error or the kernel refusing any command leaves the ruleset as
  // it was). Invalid on rejection, with libnftables' messages, each with the script's line
  // number, column and text; FailedPrecondition when the kernel denied permission.
  Status Apply(std::string_view script);

  // The ruleset of one table (its sets with elements, chains and rules) as libnftables' JSON:
  // {"nftables": [{"metainfo": ...}, {"table": ...}, {"set": ...}, {"chain": ...}, ...]}.
  // NotFound when the table does not exist; Invalid for an unknown family or an empty name.
  // Families: ip, ip6, inet, arp, bridge, netdev.
  StatusOr<doc::Value> ListTable(std::string_view family, std::string_view name);

  // Whether the table exists. Invalid for an unknown family or an empty name.
  StatusOr<bool> TableExists(std::string_view family, std::string_view name);

 private:
  struct RunResult {
    int rc = 0;
    std::string output;
    std::string errors;
  };

  explicit NftDriver(nft_ctx* ctx) : ctx_(ctx) {}
  // Runs one command given as libnftables JSON with JSON output; the caller holds the lock.
  RunResult RunJsonLocked(const doc::Value& command);
  StatusOr<bool> TableExistsLocked(std::string_view family, std::string_view name);

  nft_ctx* ctx_;
};

}  // namespace egret::nftables
