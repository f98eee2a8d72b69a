// Turning a raw ZIP entry name into a path that is safe to write under an output folder.
// Pure string work: any thread.
#pragma once

#include <QString>
#include <optional>

namespace sluice {

class ZipEntryName
{
public:
    // Returns the cleaned '/'-separated relative path, or nullopt (and `reason`, a sentence)
    // when the name is unsafe: empty, absolute ("/etc/x.png", "\\server\x"), a drive letter
    // or any colon ("C:\x.png", "a.png:stream"), a ".." component (also via backslashes,
    // "..\..\x.png"), or NUL/control characters. Backslashes count as separators; "." and empty
    // components are dropped. A name that cleans to nothing (a directory entry) is rejected.
    static std::optional<QString> sanitize(const QString &raw, QString *reason = nullptr);
};

} // namespace sluice
