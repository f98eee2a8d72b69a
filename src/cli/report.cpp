#include "report.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <algorithm>
#include <optional>

namespace sluice::cli {

namespace {

QJsonValue widthOf(QSize size)
{
    return size.isValid() ? QJsonValue(size.width()) : QJsonValue();
}

QJsonValue heightOf(QSize size)
{
    return size.isValid() ? QJsonValue(size.height()) : QJsonValue();
}

QJsonObject recordJson(const ReportRecord &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("source"), r.source);
    o.insert(QStringLiteral("entry"), r.entry.isEmpty() ? QJsonValue() : QJsonValue(r.entry));
    o.insert(QStringLiteral("relativePath"), r.relativePath);
    o.insert(QStringLiteral("output"), r.output.isEmpty() ? QJsonValue() : QJsonValue(r.output));
    o.insert(QStringLiteral("status"), statusKey(r.status));
    o.insert(QStringLiteral("attempts"), r.attempts);
    o.insert(QStringLiteral("error"), r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error));
    if (!r.skipReason.isEmpty())
        o.insert(QStringLiteral("skipReason"), r.skipReason);
    if (!r.note.isEmpty())
        o.insert(QStringLiteral("note"), r.note);
    o.insert(QStringLiteral("inputWidth"), widthOf(r.inputSize));
    o.insert(QStringLiteral("inputHeight"), heightOf(r.inputSize));
    o.insert(QStringLiteral("outputWidth"), widthOf(r.outputSize));
    o.insert(QStringLiteral("outputHeight"), heightOf(r.outputSize));
    o.insert(QStringLiteral("ms"), r.ms < 0 ? QJsonValue() : QJsonValue(r.ms));
    if (!r.shard.isEmpty())
        o.insert(QStringLiteral("shard"), r.shard);
    return o;
}

QJsonObject summaryJson(const RunSummary &s)
{
    QJsonObject o;
    o.insert(QStringLiteral("total"), s.tally.total);
    o.insert(QStringLiteral("done"), s.tally.done);
    o.insert(QStringLiteral("skipped"), s.tally.skipped);
    o.insert(QStringLiteral("failed"), s.tally.failed);
    o.insert(QStringLiteral("canceled"), s.tally.canceled);
    o.insert(QStringLiteral("elapsedMs"), s.elapsedMs);
    o.insert(QStringLiteral("imagesPerSecond"), s.imagesPerSecond);
    o.insert(QStringLiteral("interrupted"), s.interrupted);
    o.insert(QStringLiteral("exitCode"), s.exitCode);
    o.insert(QStringLiteral("output"), s.output);
    o.insert(QStringLiteral("shard"), QJsonObject{{QStringLiteral("index"), s.shardIndex + 1},
                                                  {QStringLiteral("count"), s.shardCount}});
    if (!s.merge.isEmpty())
        o.insert(QStringLiteral("merge"), s.merge);
    return o;
}

const QStringList CsvColumns = {
    QStringLiteral("source"),       QStringLiteral("entry"),        QStringLiteral("relative_path"),
    QStringLiteral("output"),       QStringLiteral("status"),       QStringLiteral("attempts"),
    QStringLiteral("error"),        QStringLiteral("skip_reason"),  QStringLiteral("input_width"),
    QStringLiteral("input_height"), QStringLiteral("output_width"), QStringLiteral("output_height"),
    QStringLiteral("ms"),           QStringLiteral("note")};

std::optional<ResultStatus> statusFromKey(const QString &key)
{
    for (ResultStatus s :
         {ResultStatus::Done, ResultStatus::Skipped, ResultStatus::Failed, ResultStatus::Canceled})
        if (statusKey(s) == key)
            return s;
    return std::nullopt;
}

QSize sizeOf(const QJsonValue &width, const QJsonValue &height)
{
    return width.isDouble() && height.isDouble() ? QSize(width.toInt(), height.toInt()) : QSize();
}

QSize sizeOf(const QString &width, const QString &height)
{
    bool okW = false, okH = false;
    const int w = width.toInt(&okW), h = height.toInt(&okH);
    return okW && okH ? QSize(w, h) : QSize();
}

bool recordFromJson(const QJsonObject &o, ReportRecord *r)
{
    const std::optional<ResultStatus> status =
        statusFromKey(o.value(QLatin1String("status")).toString());
    if (!status || !o.value(QLatin1String("source")).isString())
        return false;
    r->status = *status;
    r->source = o.value(QLatin1String("source")).toString();
    r->entry = o.value(QLatin1String("entry")).toString();
    r->relativePath = o.value(QLatin1String("relativePath")).toString();
    r->output = o.value(QLatin1String("output")).toString();
    r->attempts = o.value(QLatin1String("attempts")).toInt();
    r->error = o.value(QLatin1String("error")).toString();
    r->skipReason = o.value(QLatin1String("skipReason")).toString();
    r->note = o.value(QLatin1String("note")).toString();
    r->inputSize =
        sizeOf(o.value(QLatin1String("inputWidth")), o.value(QLatin1String("inputHeight")));
    r->outputSize =
        sizeOf(o.value(QLatin1String("outputWidth")), o.value(QLatin1String("outputHeight")));
    r->ms = o.value(QLatin1String("ms")).isDouble()
                ? qint64(o.value(QLatin1String("ms")).toDouble())
                : -1;
    r->shard = o.value(QLatin1String("shard")).toString();
    return true;
}

void summaryFromJson(const QJsonObject &o, RunSummary *s)
{
    s->elapsedMs = qint64(o.value(QLatin1String("elapsedMs")).toDouble());
    s->imagesPerSecond = o.value(QLatin1String("imagesPerSecond")).toDouble();
    s->interrupted = o.value(QLatin1String("interrupted")).toBool();
    s->exitCode = o.value(QLatin1String("exitCode")).toInt();
    s->output = o.value(QLatin1String("output")).toString();
    const QJsonObject shard = o.value(QLatin1String("shard")).toObject();
    s->shardIndex = qMax(1, shard.value(QLatin1String("index")).toInt(1)) - 1;
    s->shardCount = qMax(1, shard.value(QLatin1String("count")).toInt(1));
    s->merge = o.value(QLatin1String("merge")).toObject();
}

bool readJsonReport(const QByteArray &bytes, LoadedReport *report, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    const QJsonValue items = doc.object().value(QLatin1String("items"));
    if (doc.isNull() || !items.isArray()) {
        *error = doc.isNull() ? parseError.errorString()
                              : QStringLiteral("not a Sluice report (no \"items\" list)");
        return false;
    }
    for (const QJsonValue &item : items.toArray()) {
        ReportRecord r;
        if (!recordFromJson(item.toObject(), &r)) {
            *error = QStringLiteral("item %1 has no source or no known status")
                         .arg(report->records.size() + 1);
            return false;
        }
        report->records.append(r);
    }
    const QJsonValue summary = doc.object().value(QLatin1String("summary"));
    report->hasSummary = summary.isObject();
    if (report->hasSummary)
        summaryFromJson(summary.toObject(), &report->summary);
    return true;
}

bool readCsvReport(const QByteArray &bytes, LoadedReport *report, QString *error)
{
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(bytes));
    if (rows.isEmpty() || rows.first().mid(0, CsvColumns.size()) != CsvColumns) {
        *error = QStringLiteral("not a Sluice report (the header row is not Sluice's)");
        return false;
    }
    const qsizetype shardColumn = rows.first().indexOf(QStringLiteral("shard"));
    for (qsizetype i = 1; i < rows.size(); ++i) {
        const QStringList &f = rows[i];
        ReportRecord r;
        const std::optional<ResultStatus> status =
            f.size() >= CsvColumns.size() ? statusFromKey(f[4]) : std::nullopt;
        if (!status) {
            *error = QStringLiteral("row %1 has too few fields or no known status").arg(i + 1);
            return false;
        }
        r.source = f[0];
        r.entry = f[1];
        r.relativePath = f[2];
        r.output = f[3];
        r.status = *status;
        r.attempts = f[5].toInt();
        r.error = f[6];
        r.skipReason = f[7];
        r.inputSize = sizeOf(f[8], f[9]);
        r.outputSize = sizeOf(f[10], f[11]);
        bool okMs = false;
        r.ms = f[12].toLongLong(&okMs);
        if (!okMs)
            r.ms = -1;
        r.note = f[13];
        if (shardColumn > 0 && shardColumn < f.size())
            r.shard = f[shardColumn];
        report->records.append(r);
    }
    return true;
}

// RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes.
QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(int value, bool known)
{
    return known ? QString::number(value) : QString();
}

QString csvLine(const ReportRecord &r, bool withShard)
{
    const bool in = r.inputSize.isValid(), out = r.outputSize.isValid();
    const QStringList fields = {r.source,
                                r.entry,
                                r.relativePath,
                                r.output,
                                statusKey(r.status),
                                QString::number(r.attempts),
                                r.error,
                                r.skipReason,
                                number(r.inputSize.width(), in),
                                number(r.inputSize.height(), in),
                                number(r.outputSize.width(), out),
                                number(r.outputSize.height(), out),
                                r.ms < 0 ? QString() : QString::number(r.ms),
                                r.note};
    QStringList quoted;
    for (const QString &field : fields)
        quoted.append(csvField(field));
    if (withShard)
        quoted.append(csvField(r.shard));
    return quoted.join(QLatin1Char(',')) + QLatin1String("\r\n");
}

} // namespace

QString ReportRecord::displayName() const
{
    return entry.isEmpty() ? source : source + QLatin1Char(':') + entry;
}

RunTally RunTally::of(const QVector<ReportRecord> &records)
{
    RunTally t;
    t.total = records.size();
    for (const ReportRecord &r : records) {
        switch (r.status) {
        case ResultStatus::Done:
            ++t.done;
            break;
        case ResultStatus::Skipped:
            ++t.skipped;
            break;
        case ResultStatus::Failed:
            ++t.failed;
            break;
        case ResultStatus::Canceled:
            ++t.canceled;
            break;
        }
    }
    return t;
}

QByteArray reportJson(const QVector<ReportRecord> &records, const RunSummary &summary)
{
    QJsonArray items;
    for (const ReportRecord &r : records)
        items.append(recordJson(r));
    QJsonObject root;
    root.insert(QStringLiteral("items"), items);
    root.insert(QStringLiteral("summary"), summaryJson(summary));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

// A merged report gets a last column, "shard"; a shard's own report has none.
QByteArray reportCsv(const QVector<ReportRecord> &records)
{
    const bool withShard = std::any_of(records.begin(), records.end(),
                                       [](const ReportRecord &r) { return !r.shard.isEmpty(); });
    QString text = CsvColumns.join(QLatin1Char(',')) +
                   (withShard ? QStringLiteral(",shard\r\n") : QStringLiteral("\r\n"));
    for (const ReportRecord &r : records)
        text += csvLine(r, withShard);
    return text.toUtf8();
}

bool writeReport(const QString &path, const QVector<ReportRecord> &records,
                 const RunSummary &summary, QString *error)
{
    const bool csv =
        QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = file.errorString();
        return false;
    }
    file.write(csv ? reportCsv(records) : reportJson(records, summary));
    if (!file.commit()) {
        *error = file.errorString();
        return false;
    }
    return true;
}

bool readReport(const QString &path, LoadedReport *report, QString *error)
{
    *report = LoadedReport();
    report->path = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the report %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    const bool csv =
        QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0;
    QString why;
    if (!(csv ? readCsvReport(bytes, report, &why) : readJsonReport(bytes, report, &why))) {
        *error = QStringLiteral("cannot read the report %1: %2").arg(path, why);
        return false;
    }
    report->summary.tally = RunTally::of(report->records);
    return true;
}

QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false, pending = false; // pending: a row has begun
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"'))
                field += text[++i];
            else if (c == QLatin1Char('"'))
                quoted = false;
            else
                field += c;
            continue;
        }
        pending = true;
        if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
            pending = false;
        } else if (c != QLatin1Char('\r')) {
            field += c;
        }
    }
    if (pending) { // a last row without a line break
        row << field;
        rows << row;
    }
    return rows;
}

} // namespace sluice::cli
