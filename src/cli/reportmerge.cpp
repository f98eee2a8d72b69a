#include "reportmerge.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <algorithm>
#include <climits>
#include <cstdio>
#include <inputscanner.h>
#include <localpath.h>
#include <printable.h>

namespace sluice::cli {

namespace {

constexpr int ProblemsShown = 20;

// One input, however it is named: the file, or the archive and the entry inside it.
QString keyOf(const QString &source, const QString &entry)
{
    return source + QChar(0) + entry;
}

bool isSharded(const LoadedReport &r)
{
    return r.hasSummary && r.summary.shardCount > 1;
}

QString shardLabel(const LoadedReport &r)
{
    return isSharded(r)
               ? QStringLiteral("%1/%2").arg(r.summary.shardIndex + 1).arg(r.summary.shardCount)
               : QString();
}

QString whereFrom(const LoadedReport &r)
{
    const QString name = QFileInfo(r.path).fileName();
    return isSharded(r) ? QStringLiteral("shard %1 (%2)").arg(shardLabel(r), name) : name;
}

// The split the sharded reports share, or 0 when none is sharded; -1 (with `error`) when two
// disagree or two are of one shard.
int splitOf(const QVector<LoadedReport> &reports, QString *error)
{
    int count = 0;
    QHash<int, QString> byIndex;
    const LoadedReport *first = nullptr;
    for (const LoadedReport &r : reports) {
        if (!isSharded(r))
            continue;
        if (!first) {
            first = &r;
            count = r.summary.shardCount;
        } else if (r.summary.shardCount != count) {
            *error = QStringLiteral("the reports are of different splits: %1 is shard %2, %3 is "
                                    "shard %4")
                         .arg(first->path, shardLabel(*first), r.path, shardLabel(r));
            return -1;
        }
        const int index = r.summary.shardIndex;
        if (byIndex.contains(index)) {
            *error = QStringLiteral("two reports of shard %1: %2 and %3 (an old one left "
                                    "beside the new?)")
                         .arg(shardLabel(r), byIndex.value(index), r.path);
            return -1;
        }
        byIndex.insert(index, r.path);
    }
    return count;
}

QJsonArray toJson(const QStringList &list)
{
    QJsonArray array;
    for (const QString &s : list)
        array.append(s);
    return array;
}

void printErr(const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void printProblems(const QStringList &lines, const QString &prefix)
{
    for (qsizetype i = 0; i < lines.size() && i < ProblemsShown; ++i)
        printErr(QStringLiteral("sluice-cli: %1: %2\n").arg(prefix, printable(lines[i])));
    if (lines.size() > ProblemsShown)
        printErr(QStringLiteral("sluice-cli: ... and %1 more %2, see the merged report\n")
                     .arg(lines.size() - ProblemsShown)
                     .arg(prefix));
}

void findInputsInNoReport(const ExpectedInputs &expected, const QStringList &outputs,
                          const QHash<QString, const LoadedReport *> &reported,
                          MergeOutcome *outcome)
{
    InputScanner scanner(expected.inputs);
    scanner.setExcludedPaths(outputs); // as the run left its own output out
    scanner.setIncludeHidden(expected.includeHidden);
    while (const std::optional<InputItem> item = scanner.next()) {
        const QString key = keyOf(localpath::escaped(item->sourcePath),
                                  item->isArchiveEntry() ? item->entryName : QString());
        if (!reported.contains(key))
            outcome->inNoReport << (item->relativePath.isEmpty() ? item->displayName()
                                                                 : item->relativePath);
    }
    outcome->inputsChecked = true;
}

} // namespace

bool mergeReports(const QVector<LoadedReport> &reports, const ExpectedInputs &expected,
                  MergeOutcome *outcome, QString *error)
{
    *outcome = MergeOutcome();
    const int count = splitOf(reports, error);
    if (count < 0)
        return false;
    // The sharded reports in shard order, then the others as given.
    QVector<const LoadedReport *> ordered;
    for (const LoadedReport &r : reports)
        ordered.append(&r);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const LoadedReport *a, const LoadedReport *b) {
                         const int ka = isSharded(*a) ? a->summary.shardIndex : INT_MAX;
                         const int kb = isSharded(*b) ? b->summary.shardIndex : INT_MAX;
                         return ka < kb;
                     });

    QHash<QString, const LoadedReport *> firstReport; // input key -> the report that has it
    QStringList outputs, paths;
    QSet<int> shardsSeen;
    RunSummary &s = outcome->summary;
    for (const LoadedReport *r : ordered) {
        paths << r->path;
        if (isSharded(*r))
            shardsSeen.insert(r->summary.shardIndex);
        if (r->hasSummary && !r->summary.output.isEmpty() && !outputs.contains(r->summary.output))
            outputs << r->summary.output;
        s.elapsedMs = qMax(s.elapsedMs, r->summary.elapsedMs);
        s.interrupted = s.interrupted || r->summary.interrupted;
        for (const ReportRecord &record : r->records) {
            const QString key = keyOf(record.source, record.entry);
            if (const LoadedReport *earlier = firstReport.value(key)) {
                outcome->inTwoReports
                    << QStringLiteral("%1: %2 and %3")
                           .arg(record.relativePath.isEmpty() ? record.displayName()
                                                              : record.relativePath,
                                whereFrom(*earlier), whereFrom(*r));
                continue;
            }
            firstReport.insert(key, r);
            ReportRecord merged = record;
            if (merged.shard.isEmpty())
                merged.shard = shardLabel(*r);
            outcome->records.append(merged);
        }
    }
    for (int k = 0; k < count; ++k)
        if (!shardsSeen.contains(k))
            outcome->shardsWithoutReport << k + 1;
    if (!expected.inputs.isEmpty())
        findInputsInNoReport(expected, outputs, firstReport, outcome);

    s.tally = RunTally::of(outcome->records);
    s.imagesPerSecond = s.elapsedMs > 0 ? double(s.tally.done) * 1000.0 / double(s.elapsedMs) : 0;
    s.output = outputs.size() == 1 ? outputs.first() : QString();
    outcome->shards = count; // the summary itself is of the whole run: shard 1 of 1
    s.exitCode = outcome->complete() && s.tally.failed == 0 && s.tally.canceled == 0 ? 0 : 1;
    QJsonArray missingShards;
    for (int k : std::as_const(outcome->shardsWithoutReport))
        missingShards.append(k);
    s.merge = QJsonObject{
        {QStringLiteral("reports"), toJson(paths)},
        {QStringLiteral("shards"), count},
        {QStringLiteral("outputs"), toJson(outputs)},
        {QStringLiteral("shardsWithoutReport"), missingShards},
        {QStringLiteral("inTwoReports"), toJson(outcome->inTwoReports)},
        {QStringLiteral("inNoReport"),
         outcome->inputsChecked ? QJsonValue(toJson(outcome->inNoReport)) : QJsonValue()},
        {QStringLiteral("expectedInputs"), toJson(expected.inputs)}};
    return true;
}

int runMergeReports(const QStringList &reportPaths, const QString &mergedPath,
                    const ExpectedInputs &expected, bool quiet)
{
    QVector<LoadedReport> reports;
    QString error;
    for (const QString &path : reportPaths) {
        LoadedReport report;
        if (!readReport(path, &report, &error)) {
            printErr(QStringLiteral("sluice-cli: %1\n").arg(error));
            return 2;
        }
        reports.append(report);
    }
    MergeOutcome outcome;
    if (!mergeReports(reports, expected, &outcome, &error)) {
        printErr(QStringLiteral("sluice-cli: %1\n").arg(error));
        return 2;
    }
    if (!writeReport(mergedPath, outcome.records, outcome.summary, &error)) {
        printErr(QStringLiteral("sluice-cli: cannot write the merged report %1: %2\n")
                     .arg(mergedPath, error));
        return 2;
    }
    printProblems(outcome.inTwoReports, QStringLiteral("in two reports"));
    QStringList shards;
    for (int k : std::as_const(outcome.shardsWithoutReport))
        shards << QStringLiteral("%1/%2").arg(k).arg(outcome.shards);
    printProblems(shards, QStringLiteral("no report of shard"));
    printProblems(outcome.inNoReport, QStringLiteral("in no report"));
    const RunTally &t = outcome.summary.tally;
    if (!quiet) {
        printErr(QStringLiteral("sluice-cli: merged %1 report%2: %3 inputs, %4 done, %5 skipped, "
                                "%6 failed, %7 canceled%8\n")
                     .arg(reports.size())
                     .arg(reports.size() == 1 ? QString() : QStringLiteral("s"))
                     .arg(t.total)
                     .arg(t.done)
                     .arg(t.skipped)
                     .arg(t.failed)
                     .arg(t.canceled)
                     .arg(outcome.complete()
                              ? (outcome.inputsChecked
                                     ? QStringLiteral("; every input in exactly one report")
                                     : QStringLiteral("; no input in two reports"))
                              : QString()));
        printErr(QStringLiteral("sluice-cli: report: %1\n")
                     .arg(QFileInfo(mergedPath).absoluteFilePath()));
    }
    return outcome.summary.exitCode;
}

} // namespace sluice::cli
