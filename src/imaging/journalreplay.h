// Replaying a journal's runs (Journal::open with Mode::Resume): what earlier runs left for
// each item. Fed one decoded record at a time, in file order.
//
// An item whose output was recorded (or whose reserved output exists and is newer than its
// reservation) is done. Items in flight when a run died are redone; their orphan temporary
// files (QSaveFile's "<name>.XXXXXX") are removed. An item in flight when the process crashed
// (a crash record, not a kill) counts one crash. A ZIP job's outputs were in an archive that did
// not survive, so nothing of it counts as done.
//
// Private to the journal; not thread-safe.
#pragma once

#include "journal.h"
#include "journalrecord.h"

#include <QHash>
#include <QSet>

namespace sluice {

class JournalReplay
{
public:
    // `spec`: the job about to run, whose settings the earlier runs must share.
    JournalReplay(const JobSpec &spec, const QString &journalPath);

    // False with `error` set when the journal is not ours or was made with other settings.
    bool add(const JournalRecord &record, JournalError *error);
    // After the last record. False when there was no header at all.
    bool finish(JournalError *error);

    const QHash<QString, Journal::Previous> &previous() const { return m_previous; }
    int runs() const { return m_runs; }
    int crashedRuns() const { return m_crashedRuns; }
    int orphansRemoved() const { return m_orphansRemoved; }

private:
    struct Reserved
    {
        QString path;
        qint64 atMs = 0;
        bool writes = false;
    };

    bool checkHeader(const JournalRecord &record, JournalError *error);
    void finished(const JournalRecord &record);
    void endRun();
    bool outputSurvived(const Reserved &reserved) const;

    const JobSpec &m_spec;
    const QString m_path;
    const bool m_zip;
    bool m_header = true; // the header is still to come
    QHash<QString, Journal::Previous> m_previous;
    int m_runs = 0;
    int m_crashedRuns = 0;
    int m_orphansRemoved = 0;
    // The run being replayed.
    QHash<quint64, QString> m_keys; // by tag
    QSet<QString> m_inFlight;
    QHash<QString, Reserved> m_reserved;
    bool m_runOpen = false;
    bool m_runEnded = false;
    bool m_runCrashed = false;
};

} // namespace sluice
