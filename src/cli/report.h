// The run's record: one ReportRecord per input the feeder handed to the pool, a RunTally of
// the outcomes, and the --report file (JSON with a top-level "items" list and a "summary"
// object, or CSV with a header row), written atomically with QSaveFile.
#pragma once

#include <QByteArray>
#include <QSize>
#include <QString>
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
};

QByteArray reportJson(const QVector<ReportRecord> &records, const RunSummary &summary);
QByteArray reportCsv(const QVector<ReportRecord> &records);
// Writes JSON or CSV by the path's suffix, atomically (QSaveFile).
bool writeReport(const QString &path, const QVector<ReportRecord> &records,
                 const RunSummary &summary, QString *error);

} // namespace sluice::cli
