#include "progressdelegate.h"

#include "batchmodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionProgressBar>

namespace sluice::app {

namespace {

constexpr int Scale = 1000; // QStyleOptionProgressBar holds ints; large batches are scaled
constexpr int Margin = 2;

} // namespace

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const qint64 value = index.data(BatchModel::ProgressValueRole).toLongLong();
    const qint64 maximum = index.data(BatchModel::ProgressMaximumRole).toLongLong();
    if (option.state & QStyle::State_Selected)
        painter->fillRect(option.rect, option.palette.highlight());

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(Margin, Margin, -Margin, -Margin);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.minimum = 0;
    bar.maximum = Scale;
    bar.progress = maximum > 0 ? int(value * Scale / maximum) : 0;
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), 160));
    return size;
}

} // namespace sluice::app
