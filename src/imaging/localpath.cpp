#include "localpath.h"

#include <QFileDevice>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sluice::localpath {

namespace {

constexpr char16_t EscapeBase = 0xdc00; // escaped byte b (0x80..0xff) is U+DC00 + b

bool isEscape(QChar c)
{
    return c.unicode() >= EscapeBase + 0x80 && c.unicode() <= EscapeBase + 0xff;
}

// The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none.
int validSequenceAt(const QByteArray &b, qsizetype i)
{
    const auto byte = [&b](qsizetype k) {
        return k < b.size() ? quint8(b[k]) : quint8(0);
    };
    const quint8 c = byte(i);
    const auto cont = [&](qsizetype k) {
        return (byte(k) & 0xc0) == 0x80;
    };
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return cont(i + 1) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        const quint8 c1 = byte(i + 1);
        if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)) // overlong, surrogates
            return 0;
        return cont(i + 1) && cont(i + 2) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        const quint8 c1 = byte(i + 1);
        if ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 >= 0x90)) // overlong, > U+10FFFF
            return 0;
        return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    return 0;
}

} // namespace

QString decode(const QByteArray &bytes)
{
    QString out;
    out.reserve(bytes.size());
    for (qsizetype i = 0; i < bytes.size();) {
        const int n = validSequenceAt(bytes, i);
        if (n == 0) {
            out += QChar(char16_t(EscapeBase + quint8(bytes[i])));
            ++i;
            continue;
        }
        out += QString::fromUtf8(bytes.constData() + i, n);
        i += n;
    }
    return out;
}

QByteArray encode(const QString &path)
{
    if (!hasEscapes(path))
        return path.toUtf8();
    QByteArray out;
    out.reserve(path.size());
    qsizetype start = 0;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (!isEscape(path[i]))
            continue;
        out += QStringView(path).mid(start, i - start).toUtf8();
        out += char(path[i].unicode() - EscapeBase);
        start = i + 1;
    }
    out += QStringView(path).mid(start).toUtf8();
    return out;
}

bool hasEscapes(const QString &path)
{
    for (const QChar c : path) {
        if (isEscape(c))
            return true;
    }
    return false;
}

QString readable(const QString &name)
{
    if (!hasEscapes(name))
        return name;
    QString out = name;
    for (QChar &c : out) {
        if (isEscape(c))
            c = QChar(char16_t(c.unicode() - EscapeBase));
    }
    return out;
}

QString escaped(const QString &path)
{
    if (!hasEscapes(path))
        return path;
    QString out;
    for (const QChar c : path) {
        if (isEscape(c))
            out +=
                QStringLiteral("\\x%1").arg(int(c.unicode() - EscapeBase), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

Status status(const QString &path)
{
    Status s;
    const QByteArray raw = encode(path);
    struct stat link;
    if (::lstat(raw.constData(), &link) != 0)
        return s;
    s.exists = true;
    s.isSymLink = S_ISLNK(link.st_mode);
    struct stat target = link;
    if (s.isSymLink && ::stat(raw.constData(), &target) != 0)
        return s; // a broken link: it exists, and is neither a folder nor a file
    s.isDir = S_ISDIR(target.st_mode);
    s.isFile = S_ISREG(target.st_mode);
    s.size = qint64(target.st_size);
    s.modified = QDateTime::fromMSecsSinceEpoch(qint64(target.st_mtim.tv_sec) * 1000 +
                                                target.st_mtim.tv_nsec / 1000000);
    return s;
}

QString canonical(const QString &path)
{
    char *resolved = ::realpath(encode(path).constData(), nullptr);
    if (!resolved)
        return {};
    const QString out = decode(QByteArray(resolved));
    std::free(resolved);
    return out;
}

std::unique_ptr<QFile> openForReading(const QString &path)
{
    auto file = std::make_unique<QFile>();
    if (!hasEscapes(path)) {
        file->setFileName(path);
        file->open(QIODevice::ReadOnly);
        return file;
    }
    const int fd = ::open(encode(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        // QFile reports a failed open of a name it cannot hold in its own words: say why.
        file->setFileName(escaped(path));
        file->open(QIODevice::ReadOnly);
        return file;
    }
    file->open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle);
    return file;
}

DirReader::DirReader(const QString &dir)
    : m_dir(::opendir(encode(dir).constData()))
{}

DirReader::~DirReader()
{
    if (m_dir)
        ::closedir(static_cast<DIR *>(m_dir));
}

QString DirReader::next()
{
    if (!m_dir)
        return {};
    while (const dirent *entry = ::readdir(static_cast<DIR *>(m_dir))) {
        const char *name = entry->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        return decode(QByteArray(name));
    }
    return {};
}

} // namespace sluice::localpath
