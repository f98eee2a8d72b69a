#include "journalrecord.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace sluice {

namespace {

constexpr int FormatVersion = 1;

// Record keys. Short: a journal holds a few records per item.
const QString TypeKey = QStringLiteral("t");
const QString TagKey = QStringLiteral("i");
const QString ItemKey = QStringLiteral("k");
const QString PathKey = QStringLiteral("p");
const QString ActionKey = QStringLiteral("a");
const QString AtKey = QStringLiteral("at");
const QString StatusKey = QStringLiteral("st");
const QString ErrorKey = QStringLiteral("e");
const QString QuarantineKey = QStringLiteral("q");
const QString RunKey = QStringLiteral("run");
const QString PidKey = QStringLiteral("pid");
const QString MagicKey = QStringLiteral("sluice");
const QString SpecKey = QStringLiteral("spec");

QByteArray line(const QJsonObject &record)
{
    return QJsonDocument(record).toJson(QJsonDocument::Compact) + '\n';
}

JournalRecord::Type typeOf(const QString &name)
{
    using Type = JournalRecord::Type;
    static const QHash<QString, Type> types = {
        {QStringLiteral("run"), Type::Run},    {QStringLiteral("s"), Type::Started},
        {QStringLiteral("w"), Type::Reserved}, {QStringLiteral("f"), Type::Finished},
        {QStringLiteral("end"), Type::End},    {QStringLiteral("crash"), Type::Crash}};
    return types.value(name, Type::Other);
}

} // namespace

bool JournalRecord::isDoneOrSkipped() const
{
    return status == QLatin1String("done") || status == QLatin1String("skipped");
}

JournalRecord JournalRecord::decode(const QByteArray &text)
{
    JournalRecord r;
    const QJsonObject o = QJsonDocument::fromJson(text).object();
    if (o.isEmpty())
        return r;
    if (o.contains(MagicKey)) {
        r.type =
            o.value(MagicKey).toString() == QLatin1String("journal") ? Type::Header : Type::Foreign;
        if (r.type == Type::Header)
            r.spec = JobSpec::fromJson(o.value(SpecKey).toObject());
        return r;
    }
    if (!o.contains(TypeKey)) {
        r.type = Type::Foreign;
        return r;
    }
    r.type = typeOf(o.value(TypeKey).toString());
    r.tag = quint64(o.value(TagKey).toDouble(-1));
    r.key = o.value(ItemKey).toString();
    r.path = o.value(PathKey).toString();
    r.writes = o.value(ActionKey).toString() == QLatin1String("write");
    r.atMs = qint64(o.value(AtKey).toDouble());
    r.status = o.value(StatusKey).toString();
    r.error = o.value(ErrorKey).toString();
    r.quarantined = o.value(QuarantineKey).toBool();
    return r;
}

QByteArray JournalRecord::header(const JobSpec &spec)
{
    QJsonObject o;
    o[MagicKey] = QStringLiteral("journal");
    o[QStringLiteral("v")] = FormatVersion;
    o[SpecKey] = spec.toJson();
    o[QStringLiteral("created")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    return line(o);
}

QByteArray JournalRecord::run(int run, qint64 pid, qint64 atMs)
{
    return line({{TypeKey, QStringLiteral("run")},
                 {RunKey, run},
                 {PidKey, double(pid)},
                 {AtKey, double(atMs)}});
}

QByteArray JournalRecord::started(quint64 tag, const QString &key)
{
    return line({{TypeKey, QStringLiteral("s")}, {TagKey, double(tag)}, {ItemKey, key}});
}

QByteArray JournalRecord::reserved(quint64 tag, const QString &path, bool writes, qint64 atMs)
{
    return line({{TypeKey, QStringLiteral("w")},
                 {TagKey, double(tag)},
                 {PathKey, path},
                 {ActionKey, writes ? QStringLiteral("write") : QStringLiteral("skip")},
                 {AtKey, double(atMs)}});
}

QByteArray JournalRecord::finished(quint64 tag, const QString &status, const QString &output,
                                   const QString &error)
{
    QJsonObject o{{TypeKey, QStringLiteral("f")}, {TagKey, double(tag)}, {StatusKey, status}};
    if (!output.isEmpty())
        o[PathKey] = output;
    if (!error.isEmpty())
        o[ErrorKey] = error;
    return line(o);
}

QByteArray JournalRecord::quarantine(quint64 tag, const QString &key, const QString &reason)
{
    return line({{TypeKey, QStringLiteral("f")},
                 {TagKey, double(tag)},
                 {ItemKey, key},
                 {StatusKey, QStringLiteral("failed")},
                 {QuarantineKey, true},
                 {ErrorKey, reason}});
}

QByteArray JournalRecord::end(qint64 atMs)
{
    return line({{TypeKey, QStringLiteral("end")}, {AtKey, double(atMs)}});
}

} // namespace sluice
