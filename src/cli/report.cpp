#include "report.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

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
    return o;
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

QString csvLine(const ReportRecord &r)
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

QByteArray reportCsv(const QVector<ReportRecord> &records)
{
    QString text = QStringLiteral("source,entry,relative_path,output,status,attempts,error,"
                                  "skip_reason,input_width,input_height,output_width,"
                                  "output_height,ms,note\r\n");
    for (const ReportRecord &r : records)
        text += csvLine(r);
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

} // namespace sluice::cli
