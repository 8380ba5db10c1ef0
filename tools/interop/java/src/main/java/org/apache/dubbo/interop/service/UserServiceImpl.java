package org.apache.dubbo.interop.service;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The same behaviour as apache/dubbo-benchmark's UserServiceServerImpl. */
public class UserServiceImpl implements UserService {
  static final List<Integer> PERMISSIONS = Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8, 19, 88, 86, 89, 90, 91, 92);

  @Override
  public boolean existUser(String email) {
    if (email == null || email.isEmpty()) return true;
    return email.charAt(email.length() - 1) >= '5';
  }

  @Override
  public boolean createUser(User user) {
    return user != null;
  }

  /** The user dubbo-benchmark's getUser returns (also what its client sends to createUser). */
  public static User makeUser(long id, String suffix) {
    User user = new User();
    user.setId(id);
    user.setName("Doug Lea" + suffix);
    user.setSex(1);
    user.setBirthday(LocalDate.of(1968, 12, 8));
    user.setEmail("dong.lea@gmail.com" + suffix);
    user.setMobile("18612345678" + suffix);
    user.setAddress("北京市 中关村 中关村大街1号 鼎好大厦 1605" + suffix);
    user.setIcon("https://www.baidu.com/img/bd_logo1.png" + suffix);
    user.setStatus(1);
    user.setCreateTime(LocalDateTime.now());
    user.setUpdateTime(user.getCreateTime());
    user.setPermissions(new ArrayList<>(PERMISSIONS));
    return user;
  }

  @Override
  public User getUser(long id) {
    return makeUser(id, "");
  }

  @Override
  public Page<User> listUser(int pageNo) {
    List<User> users = new ArrayList<>(15);
    for (int i = 0; i < 15; i++) users.add(makeUser(i, String.valueOf(i)));
    Page<User> page = new Page<>();
    page.setPageNo(pageNo);
    page.setTotal(1000);
    page.setResult(users);
    return page;
  }
}
