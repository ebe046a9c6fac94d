#include "core/liveness/heartbeat_codec.h"

#include "common/strings.h"

namespace egret::liveness {
namespace {

constexpr uint8_t kMagic0 = 'E';
constexpr uint8_t kMagic1 = 'H';

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Why `name` is not a valid node name, or "" when it is.
std::string NodeNameProblem(std::string_view name) {
  if (name.empty()) return "node name is empty";
  if (name.size() > kMaxNodeNameBytes) {
    return "node name is " + std::to_string(name.size()) + " bytes, at most " +
           std::to_string(kMaxNodeNameBytes) + " fit in a heartbeat";
  }
  for (char c : name) {
    if (!IsAlnum(c) && c != '-' && c != '.') {
      return "node name " + Quote(name) + " may contain only a-z, 0-9, '-' and '.'";
    }
  }
  if (!IsAlnum(name.front()) || !IsAlnum(name.back())) {
    return "node name " + Quote(name) + " must start and end with a-z or 0-9";
  }
  return "";
}

void PutU64(std::vector<uint8_t>* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<uint8_t>(v >> shift));
}

uint64_t GetU64(std::span<const uint8_t> b, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | b[at + i];
  return v;
}

Status HeartbeatError(std::string reason) { return InvalidError("heartbeat: " + reason); }

}  // namespace

Status ValidateHeartbeat(const Heartbeat& beat) {
  if (std::string problem = NodeNameProblem(beat.node); !problem.empty()) {
    return HeartbeatError(std::move(problem));
  }
  if (beat.boot_id == 0) return HeartbeatError("boot id is 0, must be a non-zero random value");
  if (beat.sequence == 0) return HeartbeatError("sequence is 0, sequences start at 1");
  return Status::Ok();
}

StatusOr<std::vector<uint8_t>> EncodeHeartbeat(const Heartbeat& beat) {
  RETURN_IF_ERROR(ValidateHeartbeat(beat));
  std::vector<uint8_t> out;
  out.reserve(kHeartbeatHeaderSize + beat.node.size());
  out.push_back(kMagic0);
  out.push_back(kMagic1);
  out.push_back(beat.version);
  out.push_back(static_cast<uint8_t>(beat.node.size()));
  PutU64(&out, beat.boot_id);
  PutU64(&out, beat.sequence);
  out.insert(out.end(), beat.node.begin(), beat.node.end());
  return out;
}

StatusOr<Heartbeat> DecodeHeartbeat(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeartbeatHeaderSize) {
    return HeartbeatError(std::to_string(bytes.size()) + " bytes, shorter than the " +
                          std::to_string(kHeartbeatHeaderSize) + "-byte header");
  }
  if (bytes[0] != kMagic0 || bytes[1] != kMagic1) {
    return HeartbeatError("bytes 0-1: not the heartbeat magic \"EH\"");
  }
  if (bytes[2] != kHeartbeatVersion) {
    return HeartbeatError("byte 2: version " + std::to_string(bytes[2]) + " is not supported, " +
                          "expected " + std::to_string(kHeartbeatVersion));
  }
  size_t name_len = bytes[3];
  if (bytes.size() != kHeartbeatHeaderSize + name_len) {
    return HeartbeatError(std::to_string(bytes.size()) + " bytes, but the header says " +
                          std::to_string(kHeartbeatHeaderSize + name_len));
  }
  Heartbeat beat{
      .version = bytes[2],
      .node = std::string(bytes.begin() + kHeartbeatHeaderSize, bytes.end()),
      .boot_id = GetU64(bytes, 4),
      .sequence = GetU64(bytes, 12),
  };
  RETURN_IF_ERROR(ValidateHeartbeat(beat));
  return beat;
}

}  // namespace egret::liveness
