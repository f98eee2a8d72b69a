// The run's record: one ReportRecord per input the feeder handed to the pool, a RunTally of
// the outcomes, and the --report file (JSON with a top-level "items" list and a "summary"
// object, or CSV with a header row), written atomically with QSaveFile.
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>
#include <pooltypes.h>

namespace sluice::cli {

struct ReportRecord
{
    QString source;       // the input file, or the archive holding the entry
    QString entry;        // archive entries only: the entry's name inside the archive
    QString relativePath; // as mirrored under the output
    QString output;       // the written file, or the entry name inside an output ZIP
    // Canceled until a result arrives: an input that was scanned but never ran.
    ResultStatus status = ResultStatus::Canceled;
    int attempts = 0;
    QString error;      // failures: the reason
    QString skipReason; // skipped: "not an image", "up to date", "output exists"
    QString note;       // done: what of the input did not reach the output ("first frame of 42")
    QSize inputSize;    // invalid when unknown (failed before the header, canceled)
    QSize outputSize;
    qint64 ms = -1; // time inside the job; -1 when unknown
    QString shard;  // merged reports only: the shard whose report held it, "3/8"

    QString displayName() const;
};

struct RunTally
{
    qint64 total = 0;
    qint64 done = 0;
    qint64 skipped = 0;
    qint64 failed = 0;
    qint64 canceled = 0;

    static RunTally of(const QVector<ReportRecord> &records);
};

struct RunSummary
{
    RunTally tally;
    qint64 elapsedMs = 0;
    double imagesPerSecond = 0; // done / elapsed
    bool interrupted = false;
    int exitCode = 0;
    QString output;
    int shardIndex = 0; // 0-based; written 1-based, {"index": 3, "count": 8}
    int shardCount = 1;
    QJsonObject merge; // merged reports only: what was joined and what did not add up
};

// A report read back from the file writeReport() wrote. A CSV report has no summary: its
// tally is counted from the rows, and `hasSummary` is false (no shard, no output).
struct LoadedReport
{
    QString path;
    QVector<ReportRecord> records;
    RunSummary summary;
    bool hasSummary = false;
};

QByteArray reportJson(const QVector<ReportRecord> &records, const RunSummary &summary);
QByteArray reportCsv(const QVector<ReportRecord> &records);
// Writes JSON or CSV by the path's suffix, atomically (QSaveFile).
bool writeReport(const QString &path, const QVector<ReportRecord> &records,
                 const RunSummary &summary, QString *error);
// Reads a JSON or CSV report (by suffix). False, with a reason naming the file, when it cannot
// be read or is not a Sluice report.
bool readReport(const QString &path, LoadedReport *report, QString *error);

// RFC 4180: fields split on commas, quoted fields may hold commas, doubled quotes and line
// breaks; rows end in CRLF or LF.
QList<QStringList> parseCsv(const QString &text);

} // namespace sluice::cli
