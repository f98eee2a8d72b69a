#include "journalreplay.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace sluice {

namespace {

// Output timestamps may be coarser than the clock (FAT: 2 s).
constexpr qint64 TimestampSlackMs = 2000;

// QSaveFile's temporary files where O_TMPFILE is not available: "<final>.XXXXXX".
int removeOrphansOf(const QString &finalPath)
{
    const QFileInfo info(finalPath);
    QDir dir = info.dir();
    if (!dir.exists())
        return 0;
    static const QRegularExpression suffix(QStringLiteral("^\\.[A-Za-z0-9]{6}$"));
    const QString base = info.fileName();
    int removed = 0;
    const QStringList candidates =
        dir.entryList({QDir::toNativeSeparators(base) + QStringLiteral(".??????")},
                      QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : candidates) {
        if (name.startsWith(base) && suffix.match(name.mid(base.size())).hasMatch() &&
            dir.remove(name))
            ++removed;
    }
    return removed;
}

} // namespace

JournalReplay::JournalReplay(const JobSpec &spec, const QString &journalPath)
    : m_spec(spec)
    , m_path(journalPath)
    , m_zip(spec.outputIsZip())
{}

bool JournalReplay::add(const JournalRecord &record, JournalError *error)
{
    using Type = JournalRecord::Type;
    if (record.type == Type::Invalid)
        return true; // a torn last line (power loss): ignore it
    if (m_header)
        return checkHeader(record, error);
    switch (record.type) {
    case Type::Run:
        endRun();
        m_runOpen = true;
        ++m_runs;
        break;
    case Type::Started:
        m_keys.insert(record.tag, record.key);
        m_inFlight.insert(record.key);
        break;
    case Type::Reserved: {
        const QString key = m_keys.value(record.tag);
        if (!key.isEmpty())
            m_reserved.insert(key, {record.path, record.atMs, record.writes});
        break;
    }
    case Type::Finished:
        finished(record);
        break;
    case Type::End:
        m_runEnded = true;
        break;
    case Type::Crash:
        m_runCrashed = true;
        break;
    case Type::Invalid:
    case Type::Header:
    case Type::Foreign:
    case Type::Other:
        break;
    }
    return true;
}

bool JournalReplay::checkHeader(const JournalRecord &record, JournalError *error)
{
    if (record.type != JournalRecord::Type::Header) {
        *error = {JournalError::Kind::Unusable,
                  QStringLiteral("%1 is not a sluice journal").arg(m_path)};
        return false;
    }
    const JobSpec &earlier = record.spec;
    if (!sameOutputs(earlier.recipe, m_spec.recipe) ||
        earlier.includeRootName != m_spec.includeRootName) {
        *error = {JournalError::Kind::OtherSettings,
                  QStringLiteral("the interrupted run of this job used other settings "
                                 "(%1; now %2). Run without --resume to start over with "
                                 "the new settings.")
                      .arg(describeOutputs(earlier.recipe), describeOutputs(m_spec.recipe))};
        return false;
    }
    m_header = false;
    return true;
}

void JournalReplay::finished(const JournalRecord &record)
{
    const QString key = record.key.isEmpty() ? m_keys.value(record.tag) : record.key;
    if (key.isEmpty())
        return;
    m_inFlight.remove(key);
    Journal::Previous &p = m_previous[key];
    if (record.quarantined) {
        p.status = Journal::Previous::Status::Quarantined;
        p.error = record.error;
    } else if (record.isDoneOrSkipped() && !record.path.isEmpty() && !m_zip) {
        p.status = Journal::Previous::Status::Done;
        p.output = record.path;
        p.crashes = 0;
    } else if (record.isDoneOrSkipped()) {
        p.crashes = 0; // it went through (a non-image, or an entry of a lost archive)
    }
}

// Committed before the end came: the output is there, written after the reservation (or, for
// a skip, it was already there).
bool JournalReplay::outputSurvived(const Reserved &r) const
{
    const QFileInfo out(r.path);
    return out.isFile() &&
           (!r.writes || out.lastModified().toMSecsSinceEpoch() >= r.atMs - TimestampSlackMs);
}

void JournalReplay::endRun()
{
    if (m_runOpen && !m_runEnded) {
        if (m_runCrashed)
            ++m_crashedRuns;
        for (const QString &key : std::as_const(m_inFlight)) {
            Journal::Previous &p = m_previous[key];
            const Reserved r = m_reserved.value(key);
            if (!m_zip && !r.path.isEmpty()) {
                if (outputSurvived(r)) {
                    p.status = Journal::Previous::Status::Done;
                    p.output = r.path;
                    continue;
                }
                if (r.writes)
                    m_orphansRemoved += removeOrphansOf(r.path);
            }
            if (m_runCrashed)
                ++p.crashes;
        }
    }
    m_keys.clear();
    m_inFlight.clear();
    m_reserved.clear();
    m_runOpen = m_runEnded = m_runCrashed = false;
}

bool JournalReplay::finish(JournalError *error)
{
    if (m_header) {
        *error = {JournalError::Kind::Unusable,
                  QStringLiteral("the journal %1 is empty or damaged").arg(m_path)};
        return false;
    }
    endRun();
    return true;
}

} // namespace sluice
