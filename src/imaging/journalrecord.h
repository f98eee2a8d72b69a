// The journal's record codec: one JSON line per record, decoded into a JournalRecord, and one
// encoder per kind of record. The only place that spells out the record keys; the replay of a
// journal, the listing of unfinished jobs and the writer all go through it. (The crash record
// is also preformatted in crashrecords.cpp, which may not allocate.)
#pragma once

#include "jobspec.h"

#include <QByteArray>
#include <QString>

namespace sluice {

struct JournalRecord
{
    enum class Type : quint8
    {
        Invalid,  // a torn line (power loss), or not a record at all
        Header,   // {"sluice":"journal","v":1,"spec":{...},"created":...}
        Foreign,  // a first line that is some other JSON: not a journal of ours
        Run,      // a run began
        Started,  // an item was taken up, before it was read
        Reserved, // its output name was reserved (a write, or a skip of an existing output)
        Finished, // its outcome (grouped writes), or a quarantine
        End,      // the run stopped cleanly (interrupted); a completed job deletes its journal
        Crash,    // the process died of a crash signal
        Other     // a record type this version does not know: ignored
    };

    Type type = Type::Invalid;
    quint64 tag = 0;     // Started, Reserved, Finished
    QString key;         // Started; Finished of a quarantine (journalKey() of the input)
    QString path;        // Reserved: the output name; Finished: the output written
    bool writes = false; // Reserved: a write, not a skip
    qint64 atMs = 0;     // Run, Reserved, End: milliseconds since the epoch
    QString status;      // Finished: statusKey() of the outcome
    QString error;       // Finished: the failure's reason
    bool quarantined = false;
    JobSpec spec; // Header

    bool isDoneOrSkipped() const;

    static JournalRecord decode(const QByteArray &line);

    static QByteArray header(const JobSpec &spec);
    static QByteArray run(int run, qint64 pid, qint64 atMs);
    static QByteArray started(quint64 tag, const QString &key);
    static QByteArray reserved(quint64 tag, const QString &path, bool writes, qint64 atMs);
    static QByteArray finished(quint64 tag, const QString &status, const QString &output,
                               const QString &error);
    static QByteArray quarantine(quint64 tag, const QString &key, const QString &reason);
    static QByteArray end(qint64 atMs);
};

} // namespace sluice
