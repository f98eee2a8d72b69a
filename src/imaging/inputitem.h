// One input: a file on disk, or one entry of a ZIP archive. Plain data, cheap to copy; made
// by InputScanner on the scanning thread and then read (by value) inside a pool task.
#pragma once

#include <QString>
#include <QtGlobal>
#include <atomic>
#include <memory>

namespace sluice {

// Bytes inflated so far from one archive, shared by all of its entries' tasks so that the
// per-archive total limit holds however many workers read at once. Thread-safe.
struct ArchiveBudget
{
    std::atomic<qint64> bytesInflated{0};
};

struct InputItem
{
    enum class Kind : quint8
    {
        File,
        ArchiveEntry
    };

    // Why the scanner already knows this input is skipped, without reading it.
    enum class ScanSkip : quint8
    {
        None,
        Hidden,       // a dot-file, or a dot-folder (one item for the folder, not entered)
        SluiceOutput, // a folder or archive written by Sluice (sink.h: the output markers)
        LinkLoop,     // a symbolic link to a folder that holds it (one of its ancestors)
        LinkRepeat    // a symbolic link to a folder that is scanned already
    };

    Kind kind = Kind::File;
    QString sourcePath; // absolute path of the file, or of the archive that holds the entry
    QString entryName;  // ArchiveEntry only: the raw name inside the archive, as stored
    // '/'-separated path relative to the input root, including the root's own name
    // ("photos/2024/a.jpg", "supplier/x.jpg" for an entry of supplier.zip). Safe to join under
    // an output folder (no "..", not absolute), except for rejected items, where it is only
    // for display. Used for the mirrored tree, for --shard hashing and in reports.
    QString relativePath;
    qint64 index = 0; // 0-based order in which the scanner produced the item ({index})
    // Non-empty when the scanner already knows this input must fail permanently (unsafe
    // entry name, archive over a limit, missing input...). processImage() reports it as is.
    QString rejection;
    ScanSkip scanSkip = ScanSkip::None;           // not None: reported as skipped, never read
    std::shared_ptr<ArchiveBudget> archiveBudget; // ArchiveEntry only; shared per archive
    // Bytes the input should hold, for cost estimates: an archive entry's declared uncompressed
    // size (from the central directory; may lie, the reader enforces the limits). -1 for files:
    // the scanner does not stat them (stat() the sourcePath if needed).
    qint64 sizeHint = -1;
    // ArchiveEntry only: where the scanner found the entry in the central directory, so the
    // task jumps straight to it instead of searching by name (which would make reading every
    // entry of an N-entry archive cost O(N^2)). -1: unknown, look the name up.
    qint64 entryDirectoryOffset = -1;
    qint64 entryNumber = -1;

    bool isArchiveEntry() const { return kind == Kind::ArchiveEntry; }
    bool isRejected() const { return !rejection.isEmpty(); }
    bool isSkipped() const { return scanSkip != ScanSkip::None; }
    // "photos/a.jpg" for a file, "/abs/supplier.zip:x.jpg" for an archive entry.
    QString displayName() const;
    // Which of `count` shards this item belongs to: a stable FNV-1a hash of relativePath, the
    // same on every host and every run. Returns 0 when count <= 1.
    int shard(int count) const;

    static InputItem fromFile(const QString &path, const QString &relativePath);
    static InputItem fromArchiveEntry(const QString &archivePath, const QString &entryName,
                                      const QString &relativePath,
                                      std::shared_ptr<ArchiveBudget> budget);
    static InputItem rejected(const QString &sourcePath, const QString &relativePath,
                              const QString &reason);
    static InputItem skipped(const QString &path, const QString &relativePath, ScanSkip why);
};

} // namespace sluice
