// sluice-cli --merge-reports: the reports of a sharded run (one per shard, JSON or CSV) joined
// into one, with totals, and everything that does not add up said: an input in two reports,
// a shard without a report, and, given the run's inputs (--expect), an input in none.
#pragma once

#include "report.h"

#include <QList>
#include <QStringList>
#include <QVector>

namespace sluice::cli {

struct MergeOutcome
{
    QVector<ReportRecord> records;  // every input once, each with the shard that reported it
    RunSummary summary;             // totals over all; summary.merge says what was joined
    QStringList inTwoReports;       // "photos/a.jpg: shard 2/4 (r2.json) and shard 3/4 (r3.json)"
    int shards = 0;                 // N of the sharded reports' split; 0: none was sharded
    QList<int> shardsWithoutReport; // 1-based
    QStringList inNoReport;         // with expected inputs: relative paths found in no report
    bool inputsChecked = false;

    bool complete() const
    {
        return inTwoReports.isEmpty() && shardsWithoutReport.isEmpty() && inNoReport.isEmpty();
    }
};

struct ExpectedInputs
{
    QStringList inputs; // the sharded run's INPUTs; empty: not checked
    bool includeHidden = false;
};

// False, with a reason, for reports that cannot be joined: of different splits (shard 1/4
// beside 2/8), or two reports of one shard. Reports without a shard (CSV, or unsharded runs)
// are joined as they are, after the sharded ones.
bool mergeReports(const QVector<LoadedReport> &reports, const ExpectedInputs &expected,
                  MergeOutcome *outcome, QString *error);

// The whole command: reads the reports, merges, writes `mergedPath` (JSON or CSV by suffix),
// says what does not add up on stderr. Returns the exit code: 0 every input once and none
// failed or canceled, 1 something does not add up or failed (the merged report is written
// all the same), 2 a report cannot be read or the reports cannot be joined.
int runMergeReports(const QStringList &reportPaths, const QString &mergedPath,
                    const ExpectedInputs &expected, bool quiet);

} // namespace sluice::cli
