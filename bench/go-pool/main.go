// The textbook Go worker pool (https://gobyexample.com/worker-pools) with no-op jobs: the
// reference the pool's overhead target names ("under the textbook Go channel worker pool on
// this machine"). A jobs channel and a results channel, both buffered for every job; the main
// goroutine sends all jobs, closes the channel and receives every result. Prints one JSON line
// like sluice-bench-pool's pool-noop lines: best of `rounds` runs, median and all runs.
package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"
)

func worker(jobs <-chan int, results chan<- int) {
	for j := range jobs {
		results <- j
	}
}

func run(tasks, workers int) float64 {
	jobs := make(chan int, tasks)
	results := make(chan int, tasks)
	start := time.Now()
	for w := 0; w < workers; w++ {
		go worker(jobs, results)
	}
	for j := 0; j < tasks; j++ {
		jobs <- j
	}
	close(jobs)
	for a := 0; a < tasks; a++ {
		<-results
	}
	return float64(time.Since(start).Nanoseconds()) / float64(tasks)
}

func main() {
	tasks := flag.Int("tasks", 1000000, "no-op jobs per run")
	workers := flag.Int("workers", 2, "worker goroutines")
	rounds := flag.Int("rounds", 3, "runs; the best and the median are reported")
	flag.Parse()
	runs := make([]float64, 0, *rounds)
	for r := 0; r < *rounds; r++ {
		runs = append(runs, run(*tasks, *workers))
	}
	sorted := append([]float64(nil), runs...)
	sort.Float64s(sorted)
	all := make([]string, len(runs))
	for i, v := range runs {
		all[i] = fmt.Sprintf("%.1f", v)
	}
	fmt.Printf("{\"bench\":\"pool-noop\",\"impl\":\"go-channels\",\"tasks\":%d,\"workers\":%d,"+
		"\"ns_per_task\":%.1f,\"ns_per_task_median\":%.1f,\"runs_ns_per_task\":[%s]}\n",
		*tasks, *workers, sorted[0], sorted[len(sorted)/2], strings.Join(all, ","))
}
