// Command consumer calls the dubbo-go subset of InteropService on a provider of any language (dubbo protocol,
// hessian2, direct URL) and checks the results.
//
//	consumer dubbo://127.0.0.1:PORT [FILTER]
//
// Prints "PASS name" / "FAIL name: reason" per case and "SUMMARY passed=N failed=M"; exits 1 when any failed.
package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dubbo.apache.org/dubbo-go/v3/client"
	_ "dubbo.apache.org/dubbo-go/v3/imports"

	"github.com/dubbo-ts/dubbo-ts/tools/interop/go/service"
)

type testCase struct {
	name string
	run  func(ctx context.Context) error
}

var conn *client.Connection

func call(ctx context.Context, method string, resp any, args ...any) error {
	if args == nil {
		args = []any{}
	}
	return conn.CallUnary(ctx, args, resp, method)
}

func expect(got, want any) error {
	if !reflect.DeepEqual(normalize(got), normalize(want)) {
		return fmt.Errorf("expected <%s> but got <%s>", show(want), show(got))
	}
	return nil
}

func show(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 300 {
		return s[:300] + fmt.Sprintf("...(%d chars)", len(s))
	}
	return s
}

// normalize treats nil and empty slices/maps as equal and follows pointers, so decoded values compare by content.
func normalize(v any) any {
	return normValue(reflect.ValueOf(v))
}

func normValue(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return normValue(v.Elem())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return append([]byte{}, v.Bytes()...)
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = normValue(v.Index(i))
		}
		if len(out) == 0 {
			return "<empty>"
		}
		return out
	case reflect.Map:
		out := map[string]any{}
		for _, k := range v.MapKeys() {
			out[fmt.Sprint(normValue(k))] = normValue(v.MapIndex(k))
		}
		if len(out) == 0 {
			return "<empty>"
		}
		return out
	case reflect.Struct:
		out := map[string]any{}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				out[v.Type().Field(i).Name] = normValue(v.Field(i))
			}
		}
		return out
	default:
		return v.Interface()
	}
}

func cases() []testCase {
	var cs []testCase
	add := func(name string, run func(ctx context.Context) error) { cs = append(cs, testCase{name, run}) }
	for _, v := range []bool{true, false} {
		add(fmt.Sprintf("echoBool(%v)", v), func(ctx context.Context) error {
			var r bool
			if err := call(ctx, "echoBool", &r, v); err != nil {
				return err
			}
			return expect(r, v)
		})
	}
	for _, v := range []int32{0, -16, 47, 48, -2048, 2047, 2048, -262144, 262143, 262144, math.MinInt32, math.MaxInt32} {
		add(fmt.Sprintf("echoInt(%d)", v), func(ctx context.Context) error {
			var r int32
			if err := call(ctx, "echoInt", &r, v); err != nil {
				return err
			}
			return expect(r, v)
		})
	}
	for _, v := range []int64{0, -8, 15, 16, -2048, 2047, -262144, 262143, math.MinInt32, math.MaxInt32, 2147483648,
		9007199254740993, math.MinInt64, math.MaxInt64} {
		add(fmt.Sprintf("echoLong(%d)", v), func(ctx context.Context) error {
			var r int64
			if err := call(ctx, "echoLong", &r, v); err != nil {
				return err
			}
			return expect(r, v)
		})
	}
	for _, v := range []float64{0, 1, -128, 127, 32767, -32768, 1.5, 0.001, math.Pi, 1e300, math.Inf(1), math.SmallestNonzeroFloat64} {
		add(fmt.Sprintf("echoDouble(%v)", v), func(ctx context.Context) error {
			var r float64
			if err := call(ctx, "echoDouble", &r, v); err != nil {
				return err
			}
			return expect(r, v)
		})
	}
	strs := []string{"", "hello", "héllo 世界 😀", "😀😀", service.Digits(31), service.Digits(32),
		service.Digits(1023), service.Digits(1024), service.Digits(1 << 20)}
	for _, v := range strs {
		name := v
		if len(name) > 40 {
			name = fmt.Sprintf("len=%d", len(v))
		}
		add(fmt.Sprintf("echoString(%s)", name), func(ctx context.Context) error {
			var r string
			if err := call(ctx, "echoString", &r, v); err != nil {
				return err
			}
			return expect(r, v)
		})
	}
	add("echoMap(string values)", func(ctx context.Context) error {
		m := map[string]any{"a": "1", "b": "2"}
		var r map[any]any
		if err := call(ctx, "echoMap", &r, m); err != nil {
			return err
		}
		return expect(r, m)
	})
	add("echoPerson", func(ctx context.Context) error {
		p := service.MakePerson("Bob", 42)
		r := &service.Person{}
		if err := call(ctx, "echoPerson", r, p); err != nil {
			return err
		}
		return expect(r, p)
	})
	add("makePerson", func(ctx context.Context) error {
		r := &service.Person{}
		if err := call(ctx, "makePerson", r, "Carol", int32(7)); err != nil {
			return err
		}
		return expect(r, service.MakePerson("Carol", 7))
	})
	add("throwIllegalArgument(any error)", func(ctx context.Context) error {
		var r string
		err := call(ctx, "throwIllegalArgument", &r, "bad arg")
		if err == nil {
			return errors.New("no error")
		}
		if !strings.Contains(err.Error(), "bad arg") {
			return fmt.Errorf("error lacks 'bad arg': %v", err)
		}
		return nil
	})
	add("throwCustom", func(ctx context.Context) error {
		var r string
		err := call(ctx, "throwCustom", &r, "custom failure", int32(42))
		if err == nil {
			return errors.New("no error")
		}
		if !strings.Contains(err.Error(), "custom failure") {
			return fmt.Errorf("error lacks 'custom failure': %v", err)
		}
		return nil
	})
	add("sleep(10)", func(ctx context.Context) error {
		var r int64
		if err := call(ctx, "sleep", &r, int64(10)); err != nil {
			return err
		}
		return expect(r, int64(10))
	})
	add("stringLength(1MiB)", func(ctx context.Context) error {
		var r int32
		if err := call(ctx, "stringLength", &r, service.Digits(1<<20)); err != nil {
			return err
		}
		return expect(r, int32(1<<20))
	})
	add("callAfterException", func(ctx context.Context) error {
		var r string
		if err := call(ctx, "echoString", &r, "still ok"); err != nil {
			return err
		}
		return expect(r, "still ok")
	})
	add("load 10000 calls, 100 in flight", func(ctx context.Context) error {
		const total, inflight = 10000, 100
		var next, failures int64
		var firstErr atomic.Value
		var wg sync.WaitGroup
		for w := 0; w < inflight; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := atomic.AddInt64(&next, 1) - 1
					if i >= total {
						return
					}
					s := fmt.Sprintf("call-%d", i)
					var r string
					err := call(ctx, "echoString", &r, s)
					if err == nil && r != s {
						err = fmt.Errorf("got %q for %q", r, s)
					}
					if err != nil {
						atomic.AddInt64(&failures, 1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
				}
			}()
		}
		wg.Wait()
		if failures > 0 {
			return fmt.Errorf("%d of %d calls failed, first: %v", failures, total, firstErr.Load())
		}
		return nil
	})
	add("echo", func(ctx context.Context) error {
		v := service.Digits(200)
		var r string
		if err := call(ctx, "echo", &r, v); err != nil {
			return err
		}
		return expect(r, v)
	})
	// Last on purpose: dubbo-go v3.3.2's client panics (nil pointer in session.handlePackage) when the late response
	// of a timed-out call arrives, and closes the connection; calls made after that fail with "session Already Closed".
	add("sleep(2000) times out", func(ctx context.Context) error {
		var r int64
		err := conn.CallUnary(ctx, []any{int64(2000)}, &r, "sleep", client.WithCallRequestTimeout(500*time.Millisecond))
		if err == nil {
			return errors.New("no timeout")
		}
		if !strings.Contains(strings.ToLower(err.Error()), "timeout") {
			return fmt.Errorf("not a timeout: %v", err)
		}
		var s string
		if err := call(ctx, "echoString", &s, "after timeout"); err != nil {
			return err
		}
		return expect(s, "after timeout")
	})
	return cs
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: consumer dubbo://127.0.0.1:PORT [FILTER]")
		os.Exit(2)
	}
	url := strings.TrimRight(os.Args[1], "/")
	filter := regexp.MustCompile(".*")
	if len(os.Args) > 2 {
		filter = regexp.MustCompile(os.Args[2])
	}
	service.Register()
	cli, err := client.NewClient(client.WithClientProtocolDubbo(), client.WithClientSerialization("hessian2"))
	if err != nil {
		panic(err)
	}
	conn, err = cli.Dial(service.Interface, client.WithURL(url), client.WithRequestTimeout(30*time.Second),
		client.WithRetries(0))
	if err != nil {
		panic(err)
	}
	passed, failed := 0, 0
	for _, c := range cases() {
		if !filter.MatchString(c.name) {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
		err := c.run(ctx)
		cancel()
		if err == nil {
			passed++
			fmt.Printf("PASS %s\n", c.name)
		} else {
			failed++
			msg := strings.ReplaceAll(err.Error(), "\n", " ")
			if len(msg) > 500 {
				msg = msg[:500] + "..."
			}
			fmt.Printf("FAIL %s: %s\n", c.name, msg)
		}
	}
	fmt.Printf("SUMMARY passed=%d failed=%d\n", passed, failed)
	if failed > 0 || passed == 0 {
		os.Exit(1)
	}
	os.Exit(0)
}
