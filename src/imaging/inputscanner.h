// Turns what the user gave (files, folders, ZIP archives, in any mix) into InputItems, one at a
// time and lazily: a folder is walked with QDirIterator, one directory level at a time, and an
// archive's central directory is listed entry by entry, so a 100,000-file tree yields its first
// item at once. Nothing is decoded here: whether a file is an image is decided by content in
// the task (processImage() skips non-images), so scanning costs one directory read per folder.
//
// Every file found is yielded once, as an input or as an item that says why it is not one:
// rejected (missing, unsafe, over a limit), or skipped (hidden; a folder or archive that Sluice
// wrote, known by its marker, see sink.h; a symbolic link into a loop, or to a folder scanned
// already). Symbolic links to folders are followed. Only this run's own output is left out
// silently. A root given explicitly is always scanned, even when Sluice wrote it.
//
// Threading: an InputScanner is not thread-safe. One thread (the CLI's main thread, or a
// feeder thread) owns it and calls next(); the items it yields are plain data for any thread.
#pragma once

#include "inputitem.h"
#include "recipe.h"

#include <QStringList>
#include <memory>
#include <optional>

namespace sluice {

class InputScannerPrivate;

class InputScanner
{
public:
    struct Counters
    {
        qint64 files = 0;          // plain files yielded
        qint64 archives = 0;       // archives opened for listing
        qint64 archiveEntries = 0; // entries yielded (rejected ones not included)
        qint64 rejected = 0;       // items yielded with a rejection reason
        qint64 skipped = 0;        // items yielded as skipped (InputItem::ScanSkip)
        qint64 excluded = 0;       // folders/files left out silently: this run's own output
    };

    // `inputs` are paths as the user typed them. The limits guard archives (entry count,
    // declared sizes and ratio; InputReader enforces them again on the inflated bytes).
    explicit InputScanner(const QStringList &inputs, const InputLimits &limits = {});
    ~InputScanner();
    InputScanner(const InputScanner &) = delete;
    InputScanner &operator=(const InputScanner &) = delete;

    // Paths never scanned as input: the output folder (pruned with everything below it, and an
    // input given inside it is left out too) and the output archive. Call before the first
    // next(). They need not exist yet.
    void setExcludedPaths(const QStringList &paths);
    // true (default): relativePath starts with the root's own name ("photos/a.jpg",
    // "supplier/x.jpg" for supplier.zip), so several roots never collide in the output.
    // false: relative to the root's content ("a.jpg").
    void setIncludeRootName(bool include);
    // false (default): a dot-file is yielded as skipped (Hidden), and a dot-folder as one skipped
    // item without entering it. true: they are inputs like any other.
    void setIncludeHidden(bool include);

    // The next item, or nullopt when every input is exhausted. An input that cannot be used
    // at all (missing, unreadable archive, too many entries, unsafe entry name) comes out as a
    // rejected item, so it is reported like any other failure. Directory order is the file
    // system's (unsorted); index numbers follow the order of yielding.
    std::optional<InputItem> next();

    Counters counters() const;

private:
    std::unique_ptr<InputScannerPrivate> d;
};

} // namespace sluice
