// Small file helpers for state the agent keeps on disk.
#pragma once

#include <string>

#include "common/status.h"

namespace egret {

// Replaces `path` with `text` so that a crash leaves either the old or the new content, never
// a mix: write to "<path>.tmp", fsync, rename, fsync the directory.
Status WriteFileAtomic(const std::string& path, const std::string& text);

// Whether `path` names an existing file (of any type).
bool FileExists(const std::string& path);

// The whole file; NotFound when it does not exist.
StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace egret
