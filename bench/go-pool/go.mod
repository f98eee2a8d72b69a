module sluice/bench/go-pool

go 1.19
