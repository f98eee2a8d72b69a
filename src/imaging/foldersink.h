// Writes outputs into a folder: the mirrored tree (or flat), the naming template, the conflict
// policy, atomic writes (QSaveFile: a temporary file in the target folder, renamed over the
// final name on commit, so a final path never holds a partial file), and incremental skips.
//
// Incremental runs: every output carries two text keys (sink.h: FingerprintKey = the recipe
// fingerprint, SourceKey = the input's relativePath), written by processImage() as PNG tEXt or
// JPEG COM. An existing output whose keys match and which is at least as new as its input is
// SkipUpToDate. Reading the keys uses QImageReader::text(), which reads the header only. WebP
// outputs carry no text in Qt's plugin, so they are never considered up to date (redone).
//
// The root gets a marker file (OutputMarkerFile) with the first output, so that later scans
// skip the folder as a Sluice output.
//
// Never overwrites an input: under Overwrite, a name that is the input file itself is treated
// as taken and renamed instead. Within one run two inputs never get the same name: names are
// reserved under a mutex (under Overwrite the second one is renamed, under Skip skipped).
//
// Threading: all Sink methods are thread-safe; construct and configure on one thread first.
#pragma once

#include "recipe.h"
#include "sink.h"

#include <QHash>
#include <QMutex>
#include <QSet>
#include <atomic>

namespace sluice {

class FolderSink : public Sink
{
public:
    // Takes nameTemplate, mirrorTree and conflict from the recipe. The root is created on the
    // first commit when missing.
    FolderSink(const QString &root, const Recipe &recipe);

    void setIncremental(bool enabled) { m_incremental = enabled; } // default true; set before use
    QString root() const { return m_root; }

    Reservation reserve(const OutputRequest &request) override;
    CommitResult commit(const Reservation &reservation, const QByteArray &data,
                        const TaskContext &ctx) override;
    void release(const Reservation &reservation) override;

    // True when `path` is an image with this request's fingerprint and source (in its text
    // metadata, or in the "user.sluice.stamp" extended attribute written with every output),
    // and is not older than the input. Reads the header only.
    static bool isUpToDate(const QString &path, const OutputRequest &request);
    // `path` itself, or its nearest ancestor that exists (where a file system question about
    // a not yet created output can be asked); empty when none does.
    static QString nearestExisting(const QString &path);

private:
    void markOutputFolder();

    QString m_root;
    QString m_nameTemplate;
    bool m_mirrorTree;
    ConflictPolicy m_conflict;
    bool m_incremental = true;
    bool m_keepDates;
    std::atomic<bool> m_marked{false}; // the output marker is in place (or cannot be)

    QMutex m_mutex;
    QSet<QString> m_reserved;            // guarded by m_mutex: absolute paths claimed in this run
    QHash<quint64, QByteArray> m_stamps; // guarded by m_mutex: per reservation, until commit

    QByteArray takeStamp(quint64 reservationId);
    std::atomic<quint64> m_nextId{1};
};

} // namespace sluice
