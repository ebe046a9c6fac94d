#include "adapters/nftables/nft_driver.h"

#include <linux/netlink.h>
#include <nftables/libnftables.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/nftables/nft_diagnostics.h"
#include "common/strings.h"
#include "common/unique_fd.h"
#include "doc/json.h"

namespace egret::nftables {
namespace {

// libnftables keeps process-wide state (the interface cache, released by every command and by
// nft_ctx_free; one-time GMP/xtables initialisation in nft_ctx_new): all calls go through here.
std::mutex& LibraryMutex() {
  static std::mutex mu;
  return mu;
}

Status ValidateTableRef(std::string_view family, std::string_view name) {
  static constexpr std::string_view kFamilies[] = {"ip", "ip6", "inet", "arp", "bridge", "netdev"};
  bool known = false;
  for (std::string_view f : kFamilies) known = known || f == family;
  if (!known) {
    return InvalidError("nftables table family " + Quote(family) +
                        " is not one of ip, ip6, inet, arp, bridge, netdev");
  }
  if (name.empty() || name.size() > 255) {
    return InvalidError("nftables table name " + Quote(name) + " must be 1-255 characters");
  }
  return Status::Ok();
}

std::string TableRef(std::string_view family, std::string_view name) {
  return "nftables table " + std::string(family) + " " + Quote(name);
}

doc::Value Object(std::vector<doc::Member> members) {
  return doc::Value(doc::Map(std::move(members)));
}

// {"nftables": [{"list": {WHAT: ARG}}]}: one `list` command in libnftables' JSON.
doc::Value ListCommand(std::string_view what, doc::Value arg) {
  doc::Value list = Object({{std::string(what), std::move(arg)}});
  return Object({{"nftables", doc::List{Object({{"list", std::move(list)}})}}});
}

// libnftables names the source of every diagnostic only for scripts read from a file, so the
// script goes into an anonymous memory file; nothing touches the filesystem.
StatusOr<UniqueFd> ScriptFile(std::string_view script) {
  if (script.find('\0') != std::string_view::npos) {
    return InvalidError("nftables script contains a NUL byte");
  }
  UniqueFd fd(memfd_create("egret-nft-script", MFD_CLOEXEC));
  if (!fd.valid()) return ErrnoError("nftables: memfd_create for the script", errno);
  while (!script.empty()) {
    ssize_t n = write(fd.get(), script.data(), script.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("nftables: write the script to its memfd", errno);
    script.remove_prefix(static_cast<size_t>(n));
  }
  return fd;
}

}  // namespace

StatusOr<std::unique_ptr<NftDriver>> NftDriver::Create() {
  std::lock_guard<std::mutex> lock(LibraryMutex());
  // nft_ctx_new exits the whole process when it cannot open its socket: try first ourselves.
  UniqueFd probe(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER));
  if (!probe.valid()) return ErrnoError("nftables: open a netfilter netlink socket", errno);
  probe.reset();
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (ctx == nullptr) return InternalError("nftables: nft_ctx_new failed");
  if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
    nft_ctx_free(ctx);
    return InternalError("nftables: cannot buffer libnftables' output");
  }
  return std::unique_ptr<NftDriver>(new NftDriver(ctx));
}

NftDriver::~NftDriver() {
  std::lock_guard<std::mutex> lock(LibraryMutex());
  nft_ctx_free(ctx_);
}

Status NftDriver::Apply(std::string_view script) {
  ASSIGN_OR_RETURN(UniqueFd file, ScriptFile(script));
  const std::string path = "/proc/self/fd/" + std::to_string(file.get());
  std::lock_guard<std::mutex> lock(LibraryMutex());
  // Plain output: with the JSON flag libnftables would first try to read the script as JSON.
  nft_ctx_output_set_flags(ctx_, 0);
  int rc = nft_run_cmd_from_filename(ctx_, path.c_str());
  nft_ctx_get_output_buffer(ctx_);  // drops whatever a `list` in the script printed
  std::string errors = nft_ctx_get_error_buffer(ctx_);
  if (rc == 0) return Status::Ok();
  return ScriptRejected(ParseNftDiagnostics(errors, path, script), rc);
}

NftDriver::RunResult NftDriver::RunJsonLocked(const doc::Value& command) {
  // Commands as JSON need no quoting and cannot collide with nft keywords (a table named
  // "fwd" is a syntax error in the text language).
  const std::string text = doc::ToJson(command);
  nft_ctx_output_set_flags(ctx_, NFT_CTX_OUTPUT_JSON);
  RunResult result;
  result.rc = nft_run_cmd_from_buffer(ctx_, text.c_str());
  result.output = nft_ctx_get_output_buffer(ctx_);
  result.errors = nft_ctx_get_error_buffer(ctx_);
  nft_ctx_output_set_flags(ctx_, 0);
  return result;
}

StatusOr<bool> NftDriver::TableExists(std::string_view family, std::string_view name) {
  RETURN_IF_ERROR(ValidateTableRef(family, name));
  std::lock_guard<std::mutex> lock(LibraryMutex());
  return TableExistsLocked(family, name);
}

StatusOr<bool> NftDriver::TableExistsLocked(std::string_view family, std::string_view name) {
  RunResult r = RunJsonLocked(ListCommand("tables", Object({{"family", family}})));
  if (r.rc != 0) {
    return ScriptRejected(ParseNftDiagnostics(r.errors, "", ""), r.rc)
        .WithContext("list nftables tables");
  }
  ASSIGN_OR_RETURN(doc::Value out, doc::ParseJson(r.output));
  const doc::Value* items = out.Find("nftables");
  if (items == nullptr || !items->is_list()) {
    return InternalError("list nftables tables: libnftables' JSON has no \"nftables\" list");
  }
  for (const doc::Value& item : items->as_list()) {
    const doc::Value* table = item.Find("table");
    if (table == nullptr) continue;
    const doc::Value* f = table->Find("family");
    const doc::Value* n = table->Find("name");
    if (f && n && f->is_string() && n->is_string() && f->as_string() == family &&
        n->as_string() == name) {
      return true;
    }
  }
  return false;
}

StatusOr<doc::Value> NftDriver::ListTable(std::string_view family, std::string_view name) {
  RETURN_IF_ERROR(ValidateTableRef(family, name));
  std::lock_guard<std::mutex> lock(LibraryMutex());
  RunResult r = RunJsonLocked(ListCommand("table", Object({{"family", family}, {"name", name}})));
  if (r.rc != 0) {
    // libnftables reports a missing table as a bare "No such file or directory": ask again.
    ASSIGN_OR_RETURN(bool exists, TableExistsLocked(family, name));
    if (!exists) return NotFoundError(TableRef(family, name) + " not found");
    return ScriptRejected(ParseNftDiagnostics(r.errors, "", ""), r.rc)
        .WithContext("list " + TableRef(family, name));
  }
  StatusOr<doc::Value> parsed = doc::ParseJson(r.output);
  if (!parsed.ok()) {
    return InternalError("list " + TableRef(family, name) +
                         ": libnftables' JSON does not parse: " + parsed.status().message());
  }
  return parsed;
}

}  // namespace egret::nftables
