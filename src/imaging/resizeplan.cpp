#include "resizeplan.h"

#include <cmath>

namespace sluice {

namespace {

// Far beyond any pixel limit, and safe from int overflow in the products made of it.
constexpr double MaxSide = 1 << 30;

int scaledSide(int side, double factor)
{
    return int(qBound(1.0, std::round(double(side) * factor), MaxSide));
}

QSize scaledBy(QSize s, double factor)
{
    return {scaledSide(s.width(), factor), scaledSide(s.height(), factor)};
}

// Scale so that the source fits inside (cover == false) or covers (cover == true) the box,
// with the constraining side landing exactly on the box.
QSize scaledToBox(QSize source, QSize box, bool cover)
{
    const double fx = double(box.width()) / source.width();
    const double fy = double(box.height()) / source.height();
    const bool widthConstrains = cover ? fx >= fy : fx <= fy;
    if (widthConstrains)
        return {box.width(), scaledSide(source.height(), fx)};
    return {scaledSide(source.width(), fy), box.height()};
}

ResizePlan whole(QSize scaled)
{
    return {scaled, QRect(QPoint(0, 0), scaled)};
}

} // namespace

ResizePlan ResizePlan::compute(QSize source, const Recipe &recipe)
{
    if (source.isEmpty())
        return whole(source);
    const QSize box(qMax(1, recipe.targetSize.width()), qMax(1, recipe.targetSize.height()));
    const int edge = box.width();

    switch (recipe.mode) {
    case ResizeMode::Fit:
        if (!recipe.upscale && source.width() <= box.width() && source.height() <= box.height())
            return whole(source);
        return whole(scaledToBox(source, box, false));
    case ResizeMode::Fill: {
        const QSize scaled = scaledToBox(source, box, true);
        const QPoint topLeft((scaled.width() - box.width()) / 2,
                             (scaled.height() - box.height()) / 2);
        return {scaled, QRect(topLeft, box)};
    }
    case ResizeMode::Exact:
        return whole(box);
    case ResizeMode::LongEdge: {
        const int longSide = qMax(source.width(), source.height());
        if (!recipe.upscale && longSide <= edge)
            return whole(source);
        return whole(scaledBy(source, double(edge) / longSide));
    }
    case ResizeMode::ShortEdge: {
        const int shortSide = qMin(source.width(), source.height());
        if (!recipe.upscale && shortSide <= edge)
            return whole(source);
        return whole(scaledBy(source, double(edge) / shortSide));
    }
    case ResizeMode::Percent:
        return whole(scaledBy(source, edge / 100.0));
    }
    return whole(source);
}

QSize ResizePlan::jpegDecodeSize(QSize rawSource, QSize atLeast)
{
    // libjpeg rounds a scaled side up: ceil(side / denominator). Asking Qt for exactly that
    // size lets it skip its own extra resampling pass.
    for (int denominator : {8, 4, 2}) {
        const QSize candidate((rawSource.width() + denominator - 1) / denominator,
                              (rawSource.height() + denominator - 1) / denominator);
        if (candidate.width() >= atLeast.width() && candidate.height() >= atLeast.height())
            return candidate;
    }
    return rawSource;
}

QRect ResizePlan::centredCrop(QSize source, QSize box)
{
    // Compares source.w / source.h with box.w / box.h in 64-bit products, without dividing.
    const qint64 wide = qint64(source.width()) * box.height();
    const qint64 tall = qint64(source.height()) * box.width();
    QSize keep = source;
    if (wide > tall)
        keep.setWidth(qBound(1,
                             int(std::lround(double(source.height()) * box.width() / box.height())),
                             source.width()));
    else if (tall > wide)
        keep.setHeight(qBound(1,
                              int(std::lround(double(source.width()) * box.height() / box.width())),
                              source.height()));
    return {QPoint((source.width() - keep.width()) / 2, (source.height() - keep.height()) / 2),
            keep};
}

} // namespace sluice
