// Local file names as Sluice handles them. On Linux a name is bytes; Qt decodes it as UTF-8 and
// can neither list (QDirIterator skips it) nor open a name that is not valid UTF-8, such as
// "caf\xe9.jpg" from an old Latin-1 system. Sluice keeps such a name in a QString with each
// byte that is not part of valid UTF-8 as a lone surrogate U+DC80..U+DCFF (a "surrogate
// escape", which decoding valid UTF-8 never produces), so that the round trip to bytes is
// exact, and lists, stats and opens paths through their bytes with these helpers. Names without
// such bytes are plain QStrings and behave exactly as with Qt.
//
// Threading: all functions are reentrant.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QString>
#include <memory>

namespace sluice::localpath {

QString decode(const QByteArray &bytes);
QByteArray encode(const QString &path);
bool hasEscapes(const QString &path);
// The name with each escaped byte read as Latin-1 ("caf\xe9.jpg" -> "café.jpg"): valid text,
// for an output name. Names without escapes are returned as they are.
QString readable(const QString &name);
// The escaped bytes as the characters "\xNN", for keys and messages.
QString escaped(const QString &path);

struct Status
{
    bool exists = false;
    bool isDir = false;  // after following links
    bool isFile = false; // a regular file, after following links
    bool isSymLink = false;
    qint64 size = 0;
    QDateTime modified;
};
Status status(const QString &path);
// The absolute path with every link and "."/".." resolved; empty when it does not exist.
QString canonical(const QString &path);
// Opened read-only; check isOpen(), errorString() and error() as for any QFile.
std::unique_ptr<QFile> openForReading(const QString &path);

// Lists one folder lazily (readdir), "." and ".." left out. Not copyable.
class DirReader
{
public:
    explicit DirReader(const QString &dir);
    ~DirReader();
    DirReader(const DirReader &) = delete;
    DirReader &operator=(const DirReader &) = delete;

    bool isOpen() const { return m_dir != nullptr; }
    // The next name (decoded as above), or an empty string at the end.
    QString next();

private:
    void *m_dir = nullptr; // DIR*
};

} // namespace sluice::localpath
